namespace Workbench.Reporting;

// The input model of reports. Other stages (evals, training, nightly) adapt their outputs to these records;
// Reporting depends on nothing but them. Proportions (success rate, hazard rate, …) are stored in [0, 1]
// with Unit = "proportion" and shown as percentages; every other unit is shown as is, with its unit.

/// <summary>Units the formatter knows; any other string is printed after the value.</summary>
public static class Units
{
    /// <summary>A rate in [0, 1], displayed as a percentage.</summary>
    public const string Proportion = "proportion";
    public const string Milliseconds = "ms";
    public const string Steps = "steps";
}

/// <summary>A learning curve: one run's metric over optimizer steps (label is usually run id or version).</summary>
public sealed record LearningCurve(string Label, IReadOnlyList<(int Step, double Value)> Points);

/// <summary>An estimate of one metric of one model version on one task, with its interval (e.g. 95% Wilson).</summary>
public sealed record MetricEstimate(
    string Version, string Suite, string Task, string Metric, double Value, double Low, double High, string Unit = Units.Proportion, int N = 0);

/// <summary>How a paired comparison came out for the candidate (B) against the baseline (A).</summary>
public enum ComparisonVerdict { NoSignificantChange, Improved, Regressed }

/// <summary>
/// A paired comparison of one metric between baseline A and candidate B: difference = B − A with its interval,
/// raw and multiplicity-adjusted p-values, and the verdict the statistics stage reached.
/// </summary>
public sealed record ComparisonRow(
    string Suite, string Task, string Metric, double A, double B, double Difference, double Low, double High,
    double P, double AdjustedP, ComparisonVerdict Verdict, string Unit = Units.Proportion, string Test = "");

/// <summary>A release gate (e.g. "hazard_rate upper bound ≤ 2%") and whether it passed.</summary>
public sealed record GateRow(string Name, bool Passed, string Message);

/// <summary>Where the numbers came from: enough to reproduce the report.</summary>
public sealed record RunMetadata
{
    public string GitCommit { get; init; } = "";
    /// <summary>Config file → sha256 of its resolved text.</summary>
    public IReadOnlyDictionary<string, string> ConfigHashes { get; init; } = new Dictionary<string, string>();
    /// <summary>Dataset or suite name → fingerprint (hash of its files or seeds).</summary>
    public IReadOnlyDictionary<string, string> DatasetFingerprints { get; init; } = new Dictionary<string, string>();
    public string Machine { get; init; } = "";
    /// <summary>Stage name → how long it took.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Durations { get; init; } = new Dictionary<string, TimeSpan>();
    /// <summary>Anything else worth recording (seeds, device, library versions).</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();
}

/// <summary>One version's quality against its latency, both with intervals, for the trade-off scatter.</summary>
public sealed record QualityLatencyPoint(
    string Version, double Quality, double QualityLow, double QualityHigh, double LatencyMs, double LatencyLowMs, double LatencyHighMs);

/// <summary>A confusion matrix (rows = true class, columns = predicted class), e.g. from the vision suite.</summary>
public sealed record ConfusionMatrix(string Title, IReadOnlyList<string> Labels, int[,] Counts)
{
    public void Check()
    {
        if (Counts.GetLength(0) != Labels.Count || Counts.GetLength(1) != Labels.Count)
            throw new ArgumentException($"confusion matrix is {Counts.GetLength(0)}×{Counts.GetLength(1)} but has {Labels.Count} labels");
    }
}

/// <summary>A free-form section (heading, paragraphs of plain text, plots) for anything the fixed sections do not cover.</summary>
public sealed record ReportSection(string Heading, IReadOnlyList<string> Paragraphs, IReadOnlyList<PlotImage> Plots);

/// <summary>
/// Everything a report shows. The one-line verdict is computed from comparisons and gates unless
/// <see cref="Verdict"/> is given. Sections appear in this order: verdict, regressions and failed gates,
/// per-suite tables, plots, extra sections, run metadata.
/// </summary>
public sealed record ReportModel
{
    public required string Title { get; init; }
    /// <summary>Optional line under the title (e.g. "candidate agent@7 vs baseline agent@6").</summary>
    public string Subtitle { get; init; } = "";
    /// <summary>Shown prominently when set, e.g. "Example report made from constructed data".</summary>
    public string Notice { get; init; } = "";
    public DateTimeOffset Generated { get; init; } = DateTimeOffset.UtcNow;
    /// <summary>How comparison tables name version A and version B.</summary>
    public string BaselineName { get; init; } = "baseline";
    public string CandidateName { get; init; } = "candidate";
    /// <summary>Overrides the computed verdict line.</summary>
    public string? Verdict { get; init; }
    public IReadOnlyList<GateRow> Gates { get; init; } = [];
    public IReadOnlyList<ComparisonRow> Comparisons { get; init; } = [];
    public IReadOnlyList<MetricEstimate> Estimates { get; init; } = [];
    public IReadOnlyList<PlotImage> Plots { get; init; } = [];
    public IReadOnlyList<ReportSection> Sections { get; init; } = [];
    public RunMetadata? Metadata { get; init; }

    public ReportStatus Status => Verdicts.StatusOf(this);
    public string VerdictLine => Verdict ?? Verdicts.Line(this);
}

public enum ReportStatus { Pass, Regressed }
