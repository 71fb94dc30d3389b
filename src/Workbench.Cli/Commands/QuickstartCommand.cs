using Workbench.Workflows;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench quickstart</c>: the whole data flow end to end on CPU, ending in an HTML report.</summary>
public sealed class QuickstartCommand : ICommand
{
    public string Name => "quickstart";
    public string Summary => "Build a dataset, train two versions, evaluate, compare and write an HTML report (CPU, a few minutes); --vision: pixels vs symbols on FashionGoTo";
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("set", "override a key of both quickstart experiments, e.g. --set train.steps=100", Repeatable: true, ValueName: "KEY=VALUE"),
        new("report", "folder for the report (default reports/quickstart, or reports/quickstart-vision with --vision)", ValueName: "DIR"),
        new("vision", "the vision flow: pretrain an image tower on Fashion-MNIST, train a symbolic (v1) and a pixel (v2) agent on FashionGoTo, compare on held-out train- and test-split pictures", IsFlag: true),
    ];

    public int Run(ParsedArgs args)
    {
        // The quickstart's configs and outputs are repository-relative: run from the root wherever it was started
        // (a --report folder given by the user stays relative to where they are).
        var preset = args.Flag("vision") ? QuickstartOptions.Vision() : new QuickstartOptions();
        string report = args.Option("report") is { } given ? Path.GetFullPath(given) : preset.ReportFolder;
        Directory.SetCurrentDirectory(Workbench.Runtime.Workspace.FindRoot());
        var result = new QuickstartRecipe(preset with
        {
            ExperimentOverrides = args.Options("set"),
            ReportFolder = report,
        }).Run();
        Console.Out.WriteLine();
        foreach (var (version, success, low, high) in result.Success)
            Console.Out.WriteLine(FormattableString.Invariant($"{version}: success {success:P1} [{low:P1}, {high:P1}]"));
        Console.Out.WriteLine(FormattableString.Invariant($"random policy: success {result.RandomSuccess:P1}"));
        Console.Out.WriteLine(FormattableString.Invariant($"quickstart finished in {result.Elapsed.TotalMinutes:F1} min; open {Path.GetFullPath(result.Report.Html)}"));
        return ExitCodes.Ok;
    }
}
