using Workbench.Evals.Comparison;
using Workbench.Evals.Gates;
using Workbench.Evals.Scoring;

namespace Workbench.Reporting;

/// <summary>What one suite produced for a report: each version's summary, the paired comparison, the gates.</summary>
public sealed record SuiteResults(string Suite, IReadOnlyDictionary<string, SuiteSummary> Summaries, ComparisonReport? Comparison,
    IReadOnlyList<GateResult> Gates);

/// <summary>
/// Turns what the eval stage produces (suite summaries, paired comparisons, gate results) into the report's
/// records. Version reports, the nightly and notebooks all go through here, so every report shows the numbers the
/// eval stage computed — the report never recomputes statistics — and every metric keeps the unit, direction and
/// group its scorer declared (<see cref="MetricInfo"/>).
/// </summary>
public static class EvalReportInputs
{
    /// <summary>Estimates, comparisons, gates, quality vs latency, confusion matrices and provenance of several suites at once.</summary>
    public static ReportInputs From(IEnumerable<SuiteResults> suites)
    {
        var list = suites.ToList();
        var versions = list.SelectMany(s => s.Summaries).ToList();
        return new ReportInputs
        {
            Estimates = versions.SelectMany(v => Estimates(v.Value, v.Key)).ToList(),
            Comparisons = list.Where(s => s.Comparison != null).SelectMany(s => Comparisons(s.Comparison!)).ToList(),
            Gates = list.SelectMany(s => Gates(s.Gates, s.Suite)).ToList(),
            QualityLatency = versions.Select(v => QualityLatency(v.Value, v.Key)).OfType<QualityLatencyPoint>().ToList(),
            Confusions = versions.SelectMany(v => Confusions(v.Value, v.Key)).ToList(),
            Metadata = new RunMetadata { Results = versions.Select(v => Source(v.Value, v.Key)).OfType<ResultSource>().ToList() },
        };
    }

    /// <summary>Per-task estimates of one version; metrics with no estimate ("n/a") are left out of plots and tables.</summary>
    public static IEnumerable<MetricEstimate> Estimates(SuiteSummary summary, string version) =>
        summary.Estimates
            .Where(e => e.Value.HasValue)
            .Select(e => new MetricEstimate(version, summary.Suite, e.Task, e.Metric, e.Value!.Value,
                e.Low ?? e.Value.Value, e.High ?? e.Value.Value, e.Count, e.Info));

    public static IEnumerable<ComparisonRow> Comparisons(ComparisonReport report) =>
        report.Rows
            .Where(r => r.Result != null)
            .Select(r =>
            {
                var c = r.Result!;
                return new ComparisonRow(report.Suite, r.Task, r.Metric, c.ValueA, c.ValueB, c.Difference, c.Low, c.High,
                    c.PValue, c.AdjustedP, c.Verdict, r.Info, c.Method, c.Test);
            });

    public static IEnumerable<GateRow> Gates(IEnumerable<GateResult> gates, string suite) =>
        gates.Select(g => new GateRow($"{suite}: {g.Name}", g.Passed, g.Message));

    /// <summary>FashionGrid tasks: class named vs class reached, one panel per task.</summary>
    public static IEnumerable<ConfusionPanel> Confusions(SuiteSummary summary, string version) =>
        summary.Confusions.Select(c => new ConfusionPanel(version, summary.Suite, c));

    /// <summary>The provenance the version's records carry (null when the summary has no records).</summary>
    public static ResultSource? Source(SuiteSummary summary, string version) =>
        summary.Provenance is { } p ? new ResultSource(version, summary.Suite, p) : null;

    /// <summary>Success against latency for the quality/latency plot: the first task that reports both success_rate and latency_ms.</summary>
    public static QualityLatencyPoint? QualityLatency(SuiteSummary summary, string version)
    {
        foreach (var task in summary.Estimates.Select(e => e.Task).Distinct())
        {
            var success = summary.Find(task, "success_rate");
            var latency = summary.Find(task, "latency_ms");
            if (success?.Value is { } s && latency?.Value is { } l)
                return new QualityLatencyPoint(version, s, success.Low ?? s, success.High ?? s, l, latency.Low ?? l, latency.High ?? l);
        }
        return null;
    }
}
