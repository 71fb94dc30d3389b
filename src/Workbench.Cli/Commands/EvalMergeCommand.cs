using System.CommandLine;
using Workbench.Evals;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench eval merge FILES… --out FILE</c>: joins the shards of one run into one result file.</summary>
public sealed class EvalMergeCommand : ICommand
{
    private readonly Argument<string[]> _files = Declare.Arguments("files", "shard result files (.parquet)");
    private readonly Option<string> _out = Declare.RequiredText("--out", "merged result file", "FILE");

    public string Name => "eval merge";
    public string Summary => "Merge shard result files of one run (eval --shard k/N) into one file";
    public IReadOnlyList<Symbol> Parameters => [_files, _out];

    public int Run(ParseResult parse, CliContext cli)
    {
        string output = parse.GetValue(_out)!;
        string[] files = parse.GetValue(_files)!;
        var records = Evaluation.Merge(files, output);
        cli.Out.WriteLine($"{records.Count} episodes from {files.Length} files → {output}");
        return ExitCodes.Ok;
    }
}
