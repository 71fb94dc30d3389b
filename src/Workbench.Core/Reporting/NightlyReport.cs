using System.Globalization;

namespace Workbench.Reporting;

/// <summary>Where a nightly report went and whether it regressed.</summary>
public sealed record NightlyOutcome(ReportStatus Status, string VerdictLine, ReportFiles Report, ReportFiles Latest, string HistoryPath, int HistoryRows);

/// <summary>
/// Publishes one night: appends the night's estimates to <c>&lt;output_dir&gt;/history.parquet</c>, writes
/// <c>&lt;output_dir&gt;/&lt;yyyy-MM-dd&gt;/index.html</c> and <c>summary.md</c>, and copies both to
/// <c>&lt;output_dir&gt;/latest/</c>. The "latest" pointer is a plain copy, not a symlink: the report is self-contained,
/// so the copy opens anywhere, survives zip/artifact uploads and Windows checkouts, and is replaced atomically.
/// </summary>
public static class NightlyReport
{
    public const string LatestFolder = "latest";

    /// <summary>
    /// <paramref name="results"/>: what the night measured (estimates, comparisons, gates, …); the title, names and
    /// history come from <paramref name="config"/> and the history file.
    /// </summary>
    public static NightlyOutcome Publish(NightlyConfig config, DateOnly night, ReportInputs results)
    {
        string output = config.OutputDir;
        Directory.CreateDirectory(output);
        string historyPath = Path.Combine(output, NightlyHistory.FileName);
        var history = NightlyHistory.Append(historyPath, NightlyHistory.FromEstimates(night, results.Estimates));

        var model = ReportBuilder.Build(results with
        {
            Title = $"{config.Title} — {night.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
            Subtitle = $"candidate {config.Candidate} vs baseline {config.Baseline} · suites: {string.Join(", ", config.Suites)} · α = {config.Alpha.ToString(CultureInfo.InvariantCulture)} (Holm)",
            BaselineName = config.Baseline,
            CandidateName = config.Candidate,
            History = history.Where(r => config.AllVersions().Contains(r.Version)).ToList(),
            HistoryNights = config.HistoryNights,
        });

        var report = ReportWriter.Write(model, Path.Combine(output, night.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        var latest = ReportWriter.Write(model, Path.Combine(output, LatestFolder));
        return new NightlyOutcome(model.Status, model.VerdictLine, report, latest, historyPath, history.Count);
    }

    /// <summary>0 when nothing regressed (or the config does not fail on regressions), 1 otherwise.</summary>
    public static int ExitCode(NightlyConfig config, NightlyOutcome outcome) =>
        config.FailOnRegression && outcome.Status == ReportStatus.Regressed ? 1 : 0;
}
