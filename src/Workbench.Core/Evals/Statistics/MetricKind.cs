namespace Workbench.Evals.Statistics;

/// <summary>What a metric's per-episode values are, which picks the paired test.</summary>
public enum MetricKind
{
    /// <summary>0/1 per episode (success, unsafe, refused): exact McNemar + paired difference of proportions.</summary>
    Binary,

    /// <summary>Any real value per episode (reward, steps, latency): paired bootstrap + sign-flip p.</summary>
    Continuous,
}

/// <summary>Which way is good for a metric.</summary>
public enum MetricDirection
{
    HigherIsBetter,
    LowerIsBetter,
}
