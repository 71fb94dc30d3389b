using System.Globalization;
using Workbench.Config;
using Workbench.Reporting;
using Workbench.Workflows;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench nightly NIGHTLY.yaml</c>: evaluate, compare, append history, publish reports/&lt;date&gt;/; exit 1 on regression.</summary>
public sealed class NightlyCommand : ICommand
{
    public string Name => "nightly";
    public string Summary => "Evaluate the configured versions on the configured suites, compare, append history and publish reports/<date>/ (exit 1 on regression)";
    public IReadOnlyList<ArgumentSpec> Arguments => [new("config", "nightly config (kind: nightly), e.g. reports/nightly.yaml")];
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("date", "the night to record (default: today, UTC)", ValueName: "YYYY-MM-DD"),
        new("set", "override a config key, e.g. --set candidate=agent@8", Repeatable: true, ValueName: "KEY=VALUE"),
        new("results", "folder for the night's per-episode results", Default: Workbench.Evals.Evaluation.DefaultResultsRoot, ValueName: "DIR"),
        new("fresh", "discard an interrupted night's journals instead of resuming them (needed when a version was re-registered or a suite changed since)", IsFlag: true),
    ];

    public int Run(ParsedArgs args)
    {
        var config = ConfigLoader.Load<NightlyConfig>(args.Argument("config"), args.Options("set"));
        var night = args.Option("date") is { } text
            ? DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d : throw new UserError($"nightly: --date expects YYYY-MM-DD, got '{text}'")
            : DateOnly.FromDateTime(DateTime.UtcNow);
        var outcome = NightlyRun.Run(config, night, args.Option("results")!, log: Console.Error, fresh: args.Flag("fresh"));
        Console.Out.WriteLine(outcome.VerdictLine);
        Console.Out.WriteLine($"report:  {Path.GetFullPath(outcome.Report.Html)}");
        Console.Out.WriteLine($"summary: {Path.GetFullPath(outcome.Report.Markdown)}");
        Console.Out.WriteLine($"latest:  {Path.GetFullPath(outcome.Latest.Html)}");
        Console.Out.WriteLine($"history: {outcome.HistoryPath} ({outcome.HistoryRows} rows)");
        return NightlyReport.ExitCode(config, outcome);
    }
}
