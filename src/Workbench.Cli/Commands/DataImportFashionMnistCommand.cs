using System.CommandLine;
using Workbench.Data;
using Workbench.Envs;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench data import-fashion-mnist</c>: the idx files → Parquet (images + labels).</summary>
public sealed class DataImportFashionMnistCommand : ICommand
{
    private readonly Option<string> _out = Declare.Text("--out", "output folder", "datasets/fashion-mnist", "FOLDER");
    private readonly Option<string?> _from = Declare.OptionalText("--from",
        $"folder with the idx files (default: ${FashionMnist.DirectoryVariable} or {FashionMnist.DefaultDirectory})", "FOLDER");

    public string Name => "data import-fashion-mnist";
    public string Summary => "Write Fashion-MNIST (images + labels, train and test) to Parquet";
    public IReadOnlyList<Symbol> Parameters => [_out, _from];

    public int Run(ParseResult parse, CliContext cli)
    {
        string source = parse.GetValue(_from) ?? FashionMnist.ResolveDirectory();
        string output = parse.GetValue(_out)!;
        var files = FashionMnistImport.Write(output, FashionMnist.Load(source));
        foreach (var f in files) cli.Out.WriteLine($"{Path.Combine(output, f.Name)}: {f.Rows:N0} images, {f.RowGroups} row groups, {f.Bytes / 1e6:F1} MB, sha256 {f.Sha256[..16]}");
        return ExitCodes.Ok;
    }
}
