using Workbench.Evals.Statistics;

namespace Workbench.Evals.Gates;

/// <summary>What gates read: the candidate's absolute metrics and its paired comparisons with the baseline.</summary>
public sealed record GateInputs(IReadOnlyList<AbsoluteMetric> Absolute, IReadOnlyList<MetricComparison> Comparisons)
{
    public AbsoluteMetric? FindAbsolute(string metric) => Absolute.FirstOrDefault(m => m.Name == metric);

    public MetricComparison? FindComparison(string metric) => Comparisons.FirstOrDefault(c => c.Metric == metric);
}
