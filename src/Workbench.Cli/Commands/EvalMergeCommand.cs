using Workbench.Evals;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench eval merge FILES… --out FILE</c>: joins the shards of one run into one result file.</summary>
public sealed class EvalMergeCommand : ICommand
{
    public string Name => "eval merge";
    public string Summary => "Merge shard result files of one run (eval --shard k/N) into one file";
    public IReadOnlyList<ArgumentSpec> Arguments => [new("files", "shard result files (.parquet)", Variadic: true)];
    public IReadOnlyList<OptionSpec> Options => [new("out", "merged result file", ValueName: "FILE")];

    public int Run(ParsedArgs args)
    {
        string output = args.Required("out");
        var records = Evaluation.Merge(args.Arguments("files"), output);
        Console.Out.WriteLine($"{records.Count} episodes from {args.Arguments("files").Count} files → {output}");
        return ExitCodes.Ok;
    }
}
