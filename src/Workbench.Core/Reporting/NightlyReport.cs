using System.Globalization;

namespace Workbench.Reporting;

/// <summary>What one night's evaluation produced, adapted to reporting types (the evaluation itself is the caller's).</summary>
public sealed record NightlyResults
{
    public IReadOnlyList<MetricEstimate> Estimates { get; init; } = [];
    public IReadOnlyList<ComparisonRow> Comparisons { get; init; } = [];
    public IReadOnlyList<GateRow> Gates { get; init; } = [];
    public IReadOnlyList<QualityLatencyPoint> QualityLatency { get; init; } = [];
    public IReadOnlyList<ConfusionMatrix> Confusions { get; init; } = [];
    public IReadOnlyList<LearningCurve> LearningCurves { get; init; } = [];
    public RunMetadata? Metadata { get; init; }
}

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

    public static NightlyOutcome Publish(NightlyConfig config, DateOnly night, NightlyResults results, string? notice = null, DateTimeOffset? generated = null)
    {
        string output = config.OutputDir;
        Directory.CreateDirectory(output);
        string historyPath = Path.Combine(output, NightlyHistory.FileName);
        var history = NightlyHistory.Append(historyPath, NightlyHistory.FromEstimates(night, results.Estimates));

        var model = ReportBuilder.Build(new ReportInputs
        {
            Title = $"{config.Title} — {night.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
            Subtitle = $"candidate {config.Candidate} vs baseline {config.Baseline} · suites: {string.Join(", ", config.Suites)} · α = {config.Alpha.ToString(CultureInfo.InvariantCulture)} (Holm)",
            Notice = notice ?? "",
            Generated = generated ?? DateTimeOffset.UtcNow,
            BaselineName = config.Baseline,
            CandidateName = config.Candidate,
            Estimates = results.Estimates,
            Comparisons = results.Comparisons,
            Gates = results.Gates,
            LearningCurves = results.LearningCurves,
            QualityLatency = results.QualityLatency,
            Confusions = results.Confusions,
            History = history.Where(r => config.AllVersions().Contains(r.Version)).ToList(),
            HistoryNights = config.HistoryNights,
            Metadata = results.Metadata,
        });

        var report = ReportWriter.Write(model, Path.Combine(output, night.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        var latest = ReportWriter.Write(model, Path.Combine(output, LatestFolder));
        return new NightlyOutcome(model.Status, model.VerdictLine, report, latest, historyPath, history.Count);
    }

    /// <summary>0 when nothing regressed (or the config does not fail on regressions), 1 otherwise.</summary>
    public static int ExitCode(NightlyConfig config, NightlyOutcome outcome) =>
        config.FailOnRegression && outcome.Status == ReportStatus.Regressed ? 1 : 0;
}
