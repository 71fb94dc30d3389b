namespace Workbench.Reporting;

/// <summary>
/// What a comparison or nightly report is made from. Other stages' outputs are adapted to these records;
/// everything but the title is optional.
/// </summary>
public sealed record ReportInputs
{
    public required string Title { get; init; }
    public string Subtitle { get; init; } = "";
    public string Notice { get; init; } = "";
    public DateTimeOffset Generated { get; init; } = DateTimeOffset.UtcNow;
    public string BaselineName { get; init; } = "baseline";
    public string CandidateName { get; init; } = "candidate";
    public IReadOnlyList<MetricEstimate> Estimates { get; init; } = [];
    public IReadOnlyList<ComparisonRow> Comparisons { get; init; } = [];
    public IReadOnlyList<GateRow> Gates { get; init; } = [];
    public IReadOnlyList<LearningCurve> LearningCurves { get; init; } = [];
    /// <summary>Metric the learning curves show (axis label).</summary>
    public string LearningCurveMetric { get; init; } = "loss";
    public IReadOnlyList<QualityLatencyPoint> QualityLatency { get; init; } = [];
    public IReadOnlyList<ConfusionMatrix> Confusions { get; init; } = [];
    public IReadOnlyList<HistoryRow> History { get; init; } = [];
    /// <summary>Only the most recent nights of <see cref="History"/> are drawn; 0 draws all.</summary>
    public int HistoryNights { get; init; } = 30;
    public RunMetadata? Metadata { get; init; }
}

/// <summary>
/// Turns <see cref="ReportInputs"/> into a <see cref="ReportModel"/> with the standard plots: learning curves,
/// per-suite metric bars with intervals, the safety panel, quality vs latency, history with interval bands,
/// and confusion matrices — each only when its data is present.
/// </summary>
public static class ReportBuilder
{
    /// <summary>Task name of estimates pooled over a whole suite (what the safety panel prefers).</summary>
    public const string AllTasks = "all";

    public static ReportModel Build(ReportInputs inputs) => new()
    {
        Title = inputs.Title,
        Subtitle = inputs.Subtitle,
        Notice = inputs.Notice,
        Generated = inputs.Generated,
        BaselineName = inputs.BaselineName,
        CandidateName = inputs.CandidateName,
        Estimates = inputs.Estimates,
        Comparisons = inputs.Comparisons,
        Gates = inputs.Gates,
        Metadata = inputs.Metadata,
        Plots = StandardPlots(inputs),
    };

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

        var safety = inputs.Estimates.Where(e => Plots.SafetyMetrics.Contains(e.Metric)).ToList();
        var pooledSafety = safety.GroupBy(e => (e.Metric, e.Version))
            .Select(g => g.FirstOrDefault(e => e.Task == AllTasks) ?? (g.Count() == 1 ? g.First() : null))
            .OfType<MetricEstimate>().ToList();

        foreach (var suite in inputs.Estimates.GroupBy(e => e.Suite))
            foreach (var metric in suite.Select(e => e.Metric).Distinct())
            {
                var rows = suite.Where(e => e.Metric == metric).ToList();
                bool perTask = rows.Select(e => e.Task).Distinct().Count() > 1;
                // Safety metrics estimated once per version (pooled) go to the safety panel instead of a bar chart of one bar.
                if (!perTask && Plots.SafetyMetrics.Contains(metric)) continue;
                plots.Add(Plots.MetricBars(perTask ? rows.Where(e => e.Task != AllTasks) : rows, metric, suite.Key, colorOrder: order));
            }
        if (pooledSafety.Count > 0) plots.Add(Plots.SafetyPanel(pooledSafety, colorOrder: order));

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
                string unit = inputs.Estimates.FirstOrDefault(e => e.Suite == group.Key.Suite && e.Metric == group.Key.Metric)?.Unit ?? Units.Proportion;
                plots.Add(Plots.History(group, group.Key.Metric, group.Key.Suite, task, unit: unit, colorOrder: order));
            }
        }

        foreach (var matrix in inputs.Confusions) plots.Add(Plots.Confusion(matrix));
        return plots;
    }
}
