using Workbench.Evals.Statistics;

namespace Workbench.Evals.Gates;

/// <summary>
/// A candidate's value of one metric, with its interval when known: for rates the Wilson interval
/// (<see cref="Proportion"/>), for means whatever interval the caller computed.
/// </summary>
public sealed record AbsoluteMetric(string Name, double Value, ConfidenceInterval? Interval = null, int? Episodes = null)
{
    /// <summary>A rate of successes/n with its Wilson interval.</summary>
    public static AbsoluteMetric Proportion(string name, int successes, int n, double confidence = 0.95) =>
        new(name, (double)successes / n, Wilson.Interval(successes, n, confidence), n);
}
