using Workbench.Reporting;
using Workbench.Workflows;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench report --suite S --baseline A --candidate B</c>: an HTML + Markdown report from eval results on disk.
/// </summary>
public sealed class ReportCommand : ICommand
{
    public string Name => "report";
    public string Summary => "Write an HTML + Markdown report comparing versions from their eval results";
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("suite", "suite file the versions were evaluated on (repeat for several suites)", Repeatable: true, ValueName: "SUITE.yaml"),
        new("set", "suite override the results were run with, applied to every suite", Repeatable: true, ValueName: "KEY=VALUE"),
        new("rerun", "run a policy's suite again when its results are missing or stale (checkpoint or suite changed) instead of refusing", IsFlag: true),
        new("baseline", "baseline policy (name@version, or bot/random)", ValueName: "POLICY"),
        new("candidate", "candidate policy compared with the baseline on the same episodes", ValueName: "POLICY"),
        new("also", "further policy shown alongside (not compared)", Repeatable: true, ValueName: "POLICY"),
        new("title", "report title", Default: "Model version report", ValueName: "TEXT"),
        new("results", "folder of eval results", Default: Workbench.Evals.Evaluation.DefaultResultsRoot, ValueName: "DIR"),
        new("out", "output folder", Default: "reports/report", ValueName: "DIR"),
    ];

    public int Run(ParsedArgs args)
    {
        var files = VersionReport.Write(new VersionReportRequest
        {
            Suites = args.Options("suite").Count > 0 ? args.Options("suite") : [args.Required("suite")],
            SuiteOverrides = args.Options("set"),
            Rerun = args.Flag("rerun"),
            Log = Console.Error,
            Baseline = args.Required("baseline"),
            Candidate = args.Required("candidate"),
            Also = args.Options("also"),
            Title = args.Option("title")!,
            ResultsRoot = args.Option("results")!,
            Output = args.Option("out")!,
        });
        Console.Out.WriteLine($"report: {Path.GetFullPath(files.Html)}");
        Console.Out.WriteLine($"summary: {Path.GetFullPath(files.Markdown)}");
        return ExitCodes.Ok;
    }
}
