using System.Globalization;
using Workbench.Reporting;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench report --suite S --baseline A --candidate B</c>: an HTML + Markdown report from eval results on disk.
/// <c>--example</c> writes the example made from constructed data (reports/example/).
/// </summary>
public sealed class ReportCommand : ICommand
{
    public string Name => "report";
    public string Summary => "Write an HTML + Markdown report comparing versions from their eval results (or --example from constructed data)";
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("suite", "suite file the versions were evaluated on", ValueName: "SUITE.yaml"),
        new("baseline", "baseline policy (name@version, or bot/random)", ValueName: "POLICY"),
        new("candidate", "candidate policy compared with the baseline on the same episodes", ValueName: "POLICY"),
        new("also", "further policy shown alongside (not compared)", Repeatable: true, ValueName: "POLICY"),
        new("title", "report title", Default: "Model version report", ValueName: "TEXT"),
        new("results", "folder of eval results", Default: Workbench.Evals.Evaluation.DefaultResultsRoot, ValueName: "DIR"),
        new("example", "write the example report from constructed (simulated) data instead", IsFlag: true),
        new("out", "output folder", Default: "reports/report", ValueName: "DIR"),
        new("date", "with --example: night the example is dated (yyyy-MM-dd)", Default: "2026-11-20", ValueName: "DATE"),
    ];

    public int Run(ParsedArgs args)
    {
        if (args.Flag("example"))
        {
            string text = args.Option("date")!;
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var night))
                throw new UserError($"report: --date expects yyyy-MM-dd, got '{text}'");
            string folder = args.Options("out").Count > 0 ? args.Option("out")! : "reports/example";
            var example = ExampleReport.Write(folder, night);
            Console.Out.WriteLine($"example report (constructed data): {example.Html}");
            Console.Out.WriteLine($"summary: {example.Markdown}");
            return ExitCodes.Ok;
        }

        var files = VersionReport.Write(new VersionReportRequest
        {
            Suite = args.Required("suite"),
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
