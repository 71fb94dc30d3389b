using System.Globalization;
using Workbench.Reporting;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench report --example</c>: writes the example report made from constructed data (index.html, summary.md,
/// history.parquet, training/*/metrics.jsonl). Reports from real eval results are written by <c>compare</c> and <c>nightly</c>.
/// </summary>
public sealed class ReportCommand : ICommand
{
    public string Name => "report";
    public string Summary => "Write a report; --example writes the example made from constructed data";
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("example", "write the example report from constructed (simulated) data", IsFlag: true),
        new("out", "output folder", Default: "reports/example", ValueName: "DIR"),
        new("date", "night the example is dated (yyyy-MM-dd)", Default: "2026-11-20", ValueName: "DATE"),
    ];

    public int Run(ParsedArgs args)
    {
        if (!args.Flag("example"))
            throw new UserError("report: only --example is available here; real reports come from 'workbench compare' and 'workbench nightly'");
        string text = args.Option("date")!;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var night))
            throw new UserError($"report: --date expects yyyy-MM-dd, got '{text}'");
        var files = ExampleReport.Write(args.Option("out")!, night);
        Console.Out.WriteLine($"example report (constructed data): {files.Html}");
        Console.Out.WriteLine($"summary: {files.Markdown}");
        return ExitCodes.Ok;
    }
}
