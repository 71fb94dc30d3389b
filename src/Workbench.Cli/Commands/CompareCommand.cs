using Workbench.Evals;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench compare A B --suite SUITE</c>: paired comparison of two versions on the same episodes.</summary>
public sealed class CompareCommand : ICommand
{
    public string Name => "compare";
    public string Summary => "Compare two versions on the same episodes: paired differences with intervals, Holm-adjusted p, verdicts";
    public IReadOnlyList<ArgumentSpec> Arguments =>
    [
        new("a", "baseline: result file, or name@version / bot / random (results under evals-out/)"),
        new("b", "candidate: result file, or name@version / bot / random"),
    ];
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("suite", "the suite both were run on (gives tasks, scorers and metrics)", ValueName: "FILE"),
        new("out", "write the table here as .parquet and .json (default: evals-out/compare/<a>-vs-<b>.<suite>)", ValueName: "PREFIX"),
        new("results-root", "folder of results by policy", Default: Evaluation.DefaultResultsRoot, ValueName: "DIR"),
        new("set", "suite override the results were run with, e.g. --set episodes_per_seed=4", Repeatable: true, ValueName: "KEY=VALUE"),
        new("episodes", "episodes per seed the results were run with (as eval --episodes)", ValueName: "N"),
        new("rerun", "run a policy's suite again when its results are missing or stale (checkpoint or suite changed) instead of refusing", IsFlag: true),
    ];

    public int Run(ParsedArgs args)
    {
        var loaded = Evaluation.LoadSuite(args.Required("suite"), args.Options("set"), args.Option("episodes") is null ? null : args.Int("episodes", 1));
        var suite = loaded.Suite;
        string a = args.Argument("a"), b = args.Argument("b"), root = args.Option("results-root")!;
        bool rerun = args.Flag("rerun");
        var report = Evaluation.Compare(loaded, a, b, new ResultsOptions { Root = root, RunIfMissing = rerun, RerunIfStale = rerun, Log = Console.Error, Progress = Console.Error });
        Console.Out.Write(report.Format());
        string prefix = args.Option("out") ?? Path.Combine(root, "compare", $"{Safe(a)}-vs-{Safe(b)}.{suite.Name}");
        report.WriteParquet(prefix + ".parquet");
        report.WriteJson(prefix + ".json");
        Console.Out.WriteLine($"→ {prefix}.parquet, {prefix}.json");
        return ExitCodes.Ok;
    }

    private static string Safe(string name) => string.Concat(Path.GetFileNameWithoutExtension(name).Select(c => char.IsLetterOrDigit(c) || c is '@' or '-' or '_' or '.' ? c : '_'));
}
