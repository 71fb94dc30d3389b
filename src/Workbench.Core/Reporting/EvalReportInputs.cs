using Workbench.Evals.Comparison;
using Workbench.Evals.Gates;
using Workbench.Evals.Scoring;
using Workbench.Evals.Statistics;

namespace Workbench.Reporting;

/// <summary>
/// Turns what the eval stage produces (suite summaries, paired comparisons, gate results) into the report's
/// records. Quickstart, nightly and notebooks all go through here, so every report shows the same numbers the
/// eval stage computed — the report never recomputes statistics.
/// </summary>
public static class EvalReportInputs
{
    /// <summary>Per-task estimates of one version; metrics with no estimate ("n/a") are left out of plots and tables.</summary>
    public static IEnumerable<MetricEstimate> Estimates(SuiteSummary summary, string version) =>
        summary.Estimates
            .Where(e => e.Value.HasValue)
            .Select(e => new MetricEstimate(version, summary.Suite, e.Task, e.Metric, e.Value!.Value,
                e.Low ?? e.Value.Value, e.High ?? e.Value.Value, UnitOf(e.Metric), e.Count));

    public static IEnumerable<ComparisonRow> Comparisons(ComparisonReport report) =>
        report.Rows
            .Where(r => r.Result != null)
            .Select(r =>
            {
                var c = r.Result!;
                return new ComparisonRow(report.Suite, r.Task, r.Metric, c.ValueA, c.ValueB, c.Difference, c.Low, c.High,
                    c.PValue, c.AdjustedP, VerdictOf(c.Verdict), UnitOf(r.Metric), c.Test);
            });

    public static IEnumerable<GateRow> Gates(IEnumerable<GateResult> gates, string suite) =>
        gates.Select(g => new GateRow($"{suite}: {g.Name}", g.Passed, g.Message));

    public static ComparisonVerdict VerdictOf(Verdict verdict) => verdict switch
    {
        Verdict.Better => ComparisonVerdict.Improved,
        Verdict.Worse => ComparisonVerdict.Regressed,
        _ => ComparisonVerdict.NoSignificantChange,
    };

    /// <summary>The unit a metric is reported in, from its declaration (binary metrics are proportions).</summary>
    public static string UnitOf(string metric)
    {
        var definition = ScorerRegistry.Scorers.SelectMany(s => s.Metrics).FirstOrDefault(m => m.Name == metric);
        if (definition is null) return "";
        if (definition.Kind == MetricKind.Binary) return Units.Proportion;
        if (metric.EndsWith("_ms", StringComparison.Ordinal)) return Units.Milliseconds;
        if (metric == "mean_steps") return Units.Steps;
        return "";
    }
}
