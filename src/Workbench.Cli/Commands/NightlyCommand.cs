using System.CommandLine;
using Workbench.Config;
using Workbench.Reporting;
using Workbench.Workflows;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench nightly NIGHTLY.yaml</c>: evaluate, compare, append history, publish reports/&lt;date&gt;/; exit 1 on regression.</summary>
public sealed class NightlyCommand : ICommand
{
    private readonly Argument<string> _config = Declare.Argument("config", "nightly config (kind: nightly), e.g. reports/nightly.yaml");
    private readonly Option<DateOnly?> _date = Declare.Parsed<DateOnly?>("--date", "the night to record (default: today, UTC)", "YYYY-MM-DD", s => Declare.Day(s));
    private readonly Option<string[]> _set = Declare.Overrides("override a config key, e.g. --set candidate=agent@8");
    private readonly Option<string> _results = Declare.Text("--results", "folder for the night's per-episode results", Workbench.Evals.Evaluation.DefaultResultsRoot, "DIR");

    public string Name => "nightly";
    public string Summary => "Evaluate the configured versions on the configured suites, compare, append history and publish reports/<date>/ (exit 1 on regression)";
    public IReadOnlyList<Symbol> Parameters => [_config, _date, _set, _results];

    public int Run(ParseResult parse, CliContext cli)
    {
        var config = ConfigLoader.Load<NightlyConfig>(parse.GetValue(_config)!, parse.GetValue(_set));
        var night = parse.GetValue(_date) ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var outcome = NightlyRun.Run(config, night, parse.GetValue(_results)!, log: cli.Error);
        cli.Out.WriteLine(outcome.VerdictLine);
        cli.Out.WriteLine($"report:  {Path.GetFullPath(outcome.Report.Html)}");
        cli.Out.WriteLine($"summary: {Path.GetFullPath(outcome.Report.Markdown)}");
        cli.Out.WriteLine($"latest:  {Path.GetFullPath(outcome.Latest.Html)}");
        cli.Out.WriteLine($"history: {outcome.HistoryPath} ({outcome.HistoryRows} rows)");
        return NightlyReport.ExitCode(config, outcome);
    }
}
