using Workbench.Evals.Records;
using Workbench.Evals.Scoring;
using Workbench.Evals.Statistics;

namespace Workbench.Reporting;

// The records reports are made of. EvalReportInputs adapts eval results to them, carrying each metric's declaration
// (MetricInfo: unit, direction, group) from its scorer; nothing here guesses from a metric's name. Proportions are
// stored in [0, 1] with unit "proportion" and shown as percentages; every other unit is shown as is, with its unit.

/// <summary>A learning curve: one run's metric over optimizer steps (label is usually run id or version).</summary>
public sealed record LearningCurve(string Label, IReadOnlyList<(int Step, double Value)> Points);

/// <summary>An estimate of one metric of one model version on one task, with its interval (e.g. 95% Wilson).</summary>
public sealed record MetricEstimate(
    string Version, string Suite, string Task, string Metric, double Value, double Low, double High, int N, MetricInfo Info)
{
    public string Unit => Info.Unit;
}

/// <summary>
/// A paired comparison of one metric between baseline A and candidate B: difference = B − A with its interval,
/// raw and multiplicity-adjusted p-values, the verdict the statistics stage reached, the test (<see cref="Method"/> in
/// short, <see cref="Test"/> in full).
/// </summary>
public sealed record ComparisonRow(
    string Suite, string Task, string Metric, double A, double B, double Difference, double Low, double High,
    double P, double AdjustedP, Verdict Verdict, MetricInfo Info, string Method = "", string Test = "")
{
    public string Unit => Info.Unit;
}

/// <summary>A release gate (e.g. "lava_entry_rate ≤ 0.05") and whether it passed.</summary>
public sealed record GateRow(string Name, bool Passed, string Message);

/// <summary>Which result file a report's numbers of one policy on one suite came from: its recorded provenance.</summary>
public sealed record ResultSource(string Policy, string Suite, Provenance Provenance);

/// <summary>Where the numbers came from: enough to reproduce the report.</summary>
public sealed record RunMetadata
{
    public string GitCommit { get; init; } = "";
    /// <summary>Config file → sha256 of its resolved text.</summary>
    public IReadOnlyDictionary<string, string> ConfigHashes { get; init; } = new Dictionary<string, string>();
    /// <summary>Dataset or suite name → fingerprint (hash of its files or seeds).</summary>
    public IReadOnlyDictionary<string, string> DatasetFingerprints { get; init; } = new Dictionary<string, string>();
    /// <summary>Per policy and suite: the checkpoint, suite content and code commit its results record.</summary>
    public IReadOnlyList<ResultSource> Results { get; init; } = [];
    public string Machine { get; init; } = "";
    /// <summary>Stage name → how long it took.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Durations { get; init; } = new Dictionary<string, TimeSpan>();
    /// <summary>Anything else worth recording (seeds, device, library versions).</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();
}

/// <summary>One version's quality against its latency, both with intervals, for the trade-off scatter.</summary>
public sealed record QualityLatencyPoint(
    string Version, double Quality, double QualityLow, double QualityHigh, double LatencyMs, double LatencyLowMs, double LatencyHighMs);

/// <summary>One version's confusion matrix on one suite task (e.g. FashionGrid: class named vs class reached).</summary>
public sealed record ConfusionPanel(string Version, string Suite, ConfusionMatrix Matrix)
{
    public string Title => $"{Version} — {Suite}/{Matrix.Task}: {ConfusionMatrix.RowAxis} vs {ConfusionMatrix.ColumnAxis}";
}

/// <summary>A free-form section (heading, paragraphs of plain text, plots) for anything the fixed sections do not cover.</summary>
public sealed record ReportSection(string Heading, IReadOnlyList<string> Paragraphs, IReadOnlyList<PlotImage> Plots);

/// <summary>
/// What a report is made of — a comparison report, a nightly, a notebook's — everything optional. Sections appear in
/// this order: the one-line verdict (computed from comparisons and gates), regressions and failed gates, comparisons,
/// gates, per-suite tables, plots, extra sections, run metadata.
/// </summary>
public sealed record ReportInputs
{
    public string Title { get; init; } = "Report";
    public string Subtitle { get; init; } = "";
    public string Notice { get; init; } = "";
    public DateTimeOffset Generated { get; init; } = DateTimeOffset.UtcNow;
    /// <summary>How comparison tables name version A and version B.</summary>
    public string BaselineName { get; init; } = "baseline";
    public string CandidateName { get; init; } = "candidate";
    public IReadOnlyList<MetricEstimate> Estimates { get; init; } = [];
    public IReadOnlyList<ComparisonRow> Comparisons { get; init; } = [];
    public IReadOnlyList<GateRow> Gates { get; init; } = [];
    public IReadOnlyList<LearningCurve> LearningCurves { get; init; } = [];
    /// <summary>Metric the learning curves show (axis label).</summary>
    public string LearningCurveMetric { get; init; } = "loss";
    public IReadOnlyList<QualityLatencyPoint> QualityLatency { get; init; } = [];
    public IReadOnlyList<ConfusionPanel> Confusions { get; init; } = [];
    public IReadOnlyList<HistoryRow> History { get; init; } = [];
    /// <summary>Only the most recent nights of <see cref="History"/> are drawn; 0 draws all.</summary>
    public int HistoryNights { get; init; } = 30;
    public IReadOnlyList<ReportSection> Sections { get; init; } = [];
    public RunMetadata? Metadata { get; init; }
}

/// <summary>A report ready to write: its inputs and the plots drawn from them (<see cref="ReportBuilder.Build"/>).</summary>
public sealed record ReportModel(ReportInputs Inputs, IReadOnlyList<PlotImage> Plots)
{
    public ReportStatus Status => ReportVerdict.StatusOf(Inputs);
    public string VerdictLine => ReportVerdict.Line(Inputs);
}

public enum ReportStatus { Pass, Regressed }
