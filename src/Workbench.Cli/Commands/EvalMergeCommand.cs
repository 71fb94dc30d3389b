using Workbench.Evals;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench eval merge FILES… --out FILE</c>: joins the shards of one run into one result file.</summary>
public sealed class EvalMergeCommand : ICommand
{
    public string Name => "eval merge";
    public string Summary => "Merge shard result files of one run (eval --shard k/N) into one file; refuses a missing or duplicated shard";
    public IReadOnlyList<ArgumentSpec> Arguments => [new("files", "shard result files (.parquet)", Variadic: true)];
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("out", "merged result file", ValueName: "FILE"),
        new("suite", "the suite the shards ran: also check the merged episodes are exactly its episodes, and write and print the summary", ValueName: "FILE"),
        new("set", "suite overrides the shards ran with (with --suite)", Repeatable: true, ValueName: "KEY=VALUE"),
        new("episodes", "episodes per seed the shards ran with (with --suite)", ValueName: "N"),
    ];

    public int Run(ParsedArgs args)
    {
        string output = args.Required("out");
        var files = args.Arguments("files");
        var suite = args.Option("suite") is { } file
            ? Evaluation.LoadSuite(file, args.Options("set"), args.Option("episodes") is null ? null : args.Int("episodes", 1))
            : null;
        var records = Evaluation.Merge(files, output, suite);
        if (suite != null && records.Count > 0)
            Console.Out.Write(Evals.Scoring.SuiteSummary.Build(suite.Suite, records, new Evals.Runner.PolicyId(records[0].Model, records[0].Version).Spec).Format());
        Console.Out.WriteLine($"{records.Count} episodes from {files.Count} shards → {output}");
        return ExitCodes.Ok;
    }
}
