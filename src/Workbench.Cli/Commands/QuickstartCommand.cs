using System.CommandLine;
using Workbench.Workflows;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench quickstart</c>: the whole data flow end to end on CPU, ending in an HTML report.</summary>
public sealed class QuickstartCommand : ICommand
{
    private readonly Option<string[]> _set = Declare.Overrides("override a key of both quickstart experiments, e.g. --set train.steps=100");
    private readonly Option<string> _report = Declare.Text("--report", "folder for the report", "reports/quickstart", "DIR");

    public string Name => "quickstart";
    public string Summary => "Build a dataset, train two versions, evaluate, compare and write an HTML report (CPU, a few minutes)";
    public IReadOnlyList<Symbol> Parameters => [_set, _report];

    public int Run(ParseResult parse, CliContext cli)
    {
        // The quickstart's configs and outputs are repository-relative: run from the root wherever it was started
        // (a --report folder given by the user stays relative to where they are).
        string report = parse.WasGiven(_report) ? Path.GetFullPath(parse.GetValue(_report)!) : parse.GetValue(_report)!;
        Directory.SetCurrentDirectory(Workbench.Runtime.Workspace.FindRoot());
        var result = new QuickstartRecipe(new QuickstartOptions
        {
            ExperimentOverrides = parse.GetValue(_set)!,
            ReportFolder = report,
            Log = cli.Out,
            ProgressWriter = cli.Error,
        }).Run();
        cli.Out.WriteLine();
        foreach (var (version, success, low, high) in result.Success)
            cli.Out.WriteLine(FormattableString.Invariant($"{version}: success {success:P1} [{low:P1}, {high:P1}]"));
        cli.Out.WriteLine(FormattableString.Invariant($"random policy: success {result.RandomSuccess:P1}"));
        cli.Out.WriteLine(FormattableString.Invariant($"quickstart finished in {result.Elapsed.TotalMinutes:F1} min; open {Path.GetFullPath(result.Report.Html)}"));
        return ExitCodes.Ok;
    }
}
