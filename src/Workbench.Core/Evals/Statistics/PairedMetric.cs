namespace Workbench.Evals.Statistics;

/// <summary>
/// One metric of baseline A and candidate B, per episode, ready for a paired comparison.
/// <paramref name="ClusterOf"/> maps an episode to its source (e.g. <see cref="EpisodeKey.ByTaskAndSeed"/>)
/// when episodes are not independent; null treats every episode as independent.
/// </summary>
public sealed record PairedMetric(
    string Name,
    MetricKind Kind,
    MetricDirection Direction,
    IReadOnlyList<KeyedValue> A,
    IReadOnlyList<KeyedValue> B,
    Func<EpisodeKey, string>? ClusterOf = null);
