using System.CommandLine;
using Workbench.Workflows;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench quickstart</c>: the whole data flow end to end on CPU, ending in an HTML report.</summary>
public sealed class QuickstartCommand : ICommand
{
    private readonly Option<string[]> _set = Declare.Overrides("override a key of both quickstart experiments, e.g. --set train.steps=100");
    private readonly Option<string> _report = Declare.Text("--report", "folder for the report (with --vision: reports/quickstart-vision)", "reports/quickstart", "DIR");
    private readonly Option<bool> _vision = Declare.Flag("--vision",
        "the vision flow: pretrain an image tower on Fashion-MNIST, train a symbolic (v1) and a pixel (v2) agent on FashionGoTo, one DAgger round from v2 (v3), compare v3 with v1 on held-out train- and test-split pictures");

    public string Name => "quickstart";
    public string Summary => "Build a dataset, train two versions, evaluate, compare and write an HTML report (CPU, a few minutes); --vision: pixels vs symbols on FashionGoTo";
    public IReadOnlyList<Symbol> Parameters => [_set, _report, _vision];

    public int Run(ParseResult parse, CliContext cli)
    {
        // The quickstart's configs and outputs are repository-relative: run from the root wherever it was started
        // (a --report folder given by the user stays relative to where they are).
        var preset = parse.GetValue(_vision) ? QuickstartOptions.Vision() : new QuickstartOptions();
        string report = parse.WasGiven(_report) ? Path.GetFullPath(parse.GetValue(_report)!) : preset.ReportFolder;
        Directory.SetCurrentDirectory(Workbench.Runtime.Workspace.FindRoot());
        var result = new QuickstartFlow(preset with
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
