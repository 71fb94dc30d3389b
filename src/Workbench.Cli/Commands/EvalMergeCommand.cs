using System.CommandLine;
using Workbench.Evals;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench eval merge FILES… --out FILE</c>: joins the shards of one run into one result file.</summary>
public sealed class EvalMergeCommand : ICommand
{
    private readonly Argument<string[]> _files = Declare.Arguments("files", "shard result files (.parquet)");
    private readonly Option<string> _out = Declare.RequiredText("--out", "merged result file", "FILE");
    private readonly Option<string?> _suite = Declare.OptionalText("--suite",
        "the suite the shards ran: also check the merged episodes are exactly its episodes, and write and print the summary", "FILE");
    private readonly Option<string[]> _set = Declare.Overrides("suite overrides the shards ran with (with --suite)");
    private readonly Option<int?> _episodes = Declare.OptionalNumber<int>("--episodes", "episodes per seed the shards ran with (with --suite)", "N");

    public string Name => "eval merge";
    public string Summary => "Merge shard result files of one run (eval --shard k/N) into one file; refuses a missing or duplicated shard";
    public IReadOnlyList<Symbol> Parameters => [_files, _out, _suite, _set, _episodes];

    public int Run(ParseResult parse, CliContext cli)
    {
        string output = parse.GetValue(_out)!;
        string[] files = parse.GetValue(_files)!;
        var suite = parse.GetValue(_suite) is { } file ? Evaluation.LoadSuite(file, parse.GetValue(_set), parse.GetValue(_episodes)) : null;
        var records = Evaluation.Merge(files, output, suite);
        if (suite != null && records.Count > 0)
            cli.Out.Write(Evals.Scoring.SuiteSummary.Build(suite.Suite, records, new Evals.Runner.PolicyId(records[0].Model, records[0].Version).Spec).Format());
        cli.Out.WriteLine($"{records.Count} episodes from {files.Length} files → {output}");
        return ExitCodes.Ok;
    }
}
