using Workbench.Evals.Scoring;

namespace Workbench.Reporting;

/// <summary>
/// Turns <see cref="ReportInputs"/> into a <see cref="ReportModel"/> with the standard plots: learning curves,
/// per-suite metric bars with intervals, the safety panel (every metric its scorer puts in
/// <see cref="MetricGroup.Safety"/>), quality vs latency, history with interval bands, and confusion matrices — each
/// only when its data is present.
/// </summary>
public static class ReportBuilder
{
    /// <summary>Task name of estimates pooled over a whole suite (history plots prefer it).</summary>
    public const string AllTasks = "all";

    public static ReportModel Build(ReportInputs inputs) => new(inputs, StandardPlots(inputs));

    public static IReadOnlyList<PlotImage> StandardPlots(ReportInputs inputs)
    {
        var plots = new List<PlotImage>();
        // Every version keeps one colour in every plot: baseline first, candidate second, then the rest as they appear.
        var order = new[] { inputs.BaselineName, inputs.CandidateName }
            .Concat(inputs.Estimates.Select(e => e.Version)).Concat(inputs.History.Select(r => r.Version))
            .Concat(inputs.LearningCurves.Select(c => c.Label)).Concat(inputs.QualityLatency.Select(q => q.Version))
            .Distinct().ToList();
        if (inputs.LearningCurves.Count > 0)
            plots.Add(Plots.LearningCurves(inputs.LearningCurves, inputs.LearningCurveMetric, colorOrder: order));

        // Safety metrics go to one panel (all suites, every task); every other metric gets bars per suite.
        var safety = inputs.Estimates.Where(e => e.Info.Group == MetricGroup.Safety).ToList();
        foreach (var suite in inputs.Estimates.Where(e => e.Info.Group != MetricGroup.Safety).GroupBy(e => e.Suite))
            foreach (var metric in suite.Select(e => e.Metric).Distinct())
            {
                var rows = suite.Where(e => e.Metric == metric).ToList();
                bool perTask = rows.Select(e => e.Task).Distinct().Count() > 1;
                plots.Add(Plots.MetricBars(perTask ? rows.Where(e => e.Task != AllTasks) : rows, metric, suite.Key, colorOrder: order));
            }
        if (safety.Count > 0) plots.Add(Plots.SafetyPanel(safety, colorOrder: order));

        if (inputs.QualityLatency.Count > 0) plots.Add(Plots.QualityVsLatency(inputs.QualityLatency, colorOrder: order));

        if (inputs.History.Count > 0)
        {
            var nights = inputs.History.Select(r => r.Date).Distinct().OrderDescending().ToList();
            var recent = inputs.HistoryNights > 0 && nights.Count > inputs.HistoryNights
                ? inputs.History.Where(r => r.Date >= nights[inputs.HistoryNights - 1]).ToList()
                : inputs.History.ToList();
            // One history plot per (suite, metric), pooled task when present, else every task.
            foreach (var group in recent.GroupBy(r => (r.Suite, r.Metric)))
            {
                string? task = group.Any(r => r.Task == AllTasks) ? AllTasks : null;
                plots.Add(Plots.History(group, group.Key.Metric, group.Key.Suite, task, unit: UnitOf(inputs, group.Key.Suite, group.Key.Metric), colorOrder: order));
            }
        }

        foreach (var panel in inputs.Confusions) plots.Add(Plots.Confusion(panel));
        return plots;
    }

    // History rows carry no unit: tonight's estimate of the metric says it, else the metric's declaration.
    private static string UnitOf(ReportInputs inputs, string suite, string metric) =>
        inputs.Estimates.FirstOrDefault(e => e.Suite == suite && e.Metric == metric)?.Unit
        ?? ScorerRegistry.FindMetric(metric)?.Info.Unit
        ?? Units.None;
}
