using Workbench.Data;
using Workbench.Envs;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench data import-fashion-mnist</c>: the idx files → Parquet (images + labels).</summary>
public sealed class DataImportFashionMnistCommand : ICommand
{
    public string Name => "data import-fashion-mnist";
    public string Summary => "Write Fashion-MNIST (images + labels, train and test) to Parquet";
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("out", "output folder", Default: "datasets/fashion-mnist", ValueName: "FOLDER"),
        new("from", $"folder with the idx files (default: ${FashionMnist.DirectoryVariable} or {FashionMnist.DefaultDirectory})", ValueName: "FOLDER"),
    ];

    public int Run(ParsedArgs args)
    {
        string source = args.Option("from") ?? FashionMnist.ResolveDirectory();
        var files = FashionMnistImport.Write(args.Option("out")!, FashionMnist.Load(source));
        foreach (var f in files) Console.Out.WriteLine($"{Path.Combine(args.Option("out")!, f.Name)}: {f.Rows:N0} images, {f.RowGroups} row groups, {f.Bytes / 1e6:F1} MB, sha256 {f.Sha256[..16]}");
        return ExitCodes.Ok;
    }
}
