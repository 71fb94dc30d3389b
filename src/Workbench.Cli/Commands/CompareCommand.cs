using System.CommandLine;
using Workbench.Evals;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench compare A B --suite SUITE</c>: paired comparison of two versions on the same episodes.</summary>
public sealed class CompareCommand : ICommand
{
    private readonly Argument<string> _a = Declare.Argument("a", "baseline: result file, or name@version / bot / random (results under evals-out/)");
    private readonly Argument<string> _b = Declare.Argument("b", "candidate: result file, or name@version / bot / random");
    private readonly Option<string> _suite = Declare.RequiredText("--suite", "the suite both were run on (gives tasks, scorers and metrics)", "FILE");
    private readonly Option<string?> _out = Declare.OptionalText("--out", "write the table here as .parquet and .json (default: evals-out/compare/<a>-vs-<b>.<suite>)", "PREFIX");
    private readonly Option<string> _resultsRoot = Declare.Text("--results-root", "folder of results by policy", Evaluation.DefaultResultsRoot, "DIR");

    public string Name => "compare";
    public string Summary => "Compare two versions on the same episodes: paired differences with intervals, Holm-adjusted p, verdicts";
    public IReadOnlyList<Symbol> Parameters => [_a, _b, _suite, _out, _resultsRoot];

    public int Run(ParseResult parse, CliContext cli)
    {
        var suite = Evaluation.LoadSuite(parse.GetValue(_suite)!).Suite;
        string a = parse.GetValue(_a)!, b = parse.GetValue(_b)!, root = parse.GetValue(_resultsRoot)!;
        var report = Evaluation.Compare(suite, a, b, root);
        cli.Out.Write(report.Format());
        string prefix = parse.GetValue(_out) ?? Path.Combine(root, "compare", $"{Safe(a)}-vs-{Safe(b)}.{suite.Name}");
        report.WriteParquet(prefix + ".parquet");
        report.WriteJson(prefix + ".json");
        cli.Out.WriteLine($"→ {prefix}.parquet, {prefix}.json");
        return ExitCodes.Ok;
    }

    private static string Safe(string name) => string.Concat(Path.GetFileNameWithoutExtension(name).Select(c => char.IsLetterOrDigit(c) || c is '@' or '-' or '_' or '.' ? c : '_'));
}
