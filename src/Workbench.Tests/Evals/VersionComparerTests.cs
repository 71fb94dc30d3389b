using Workbench.Evals.Statistics;

namespace Workbench.Tests.Evals;

public class VersionComparerTests
{
    private const int N = 200;
    private static readonly ComparisonOptions Fast = new(Resamples: 2_000, Seed: 1);

    private static EpisodeKey Key(int i) => new("goto", i / 4, i % 4);

    private static PairedMetric Metric(string name, MetricKind kind, MetricDirection direction, Func<int, double> a, Func<int, double> b,
        Func<EpisodeKey, string>? clusterOf = null, int n = N) =>
        new(name, kind, direction,
            Enumerable.Range(0, n).Select(i => new KeyedValue(Key(i), a(i))).ToArray(),
            Enumerable.Range(0, n).Select(i => new KeyedValue(Key(i), b(i))).ToArray(),
            clusterOf);

    private static double Bit(bool x) => x ? 1 : 0;

    // Success: A wins on even episodes; B keeps all but every 20th of those (b = 10) and adds i ≡ 1 mod 4 (c = 50).
    private static PairedMetric Success() => Metric("success", MetricKind.Binary, MetricDirection.HigherIsBetter,
        i => Bit(i % 2 == 0), i => Bit((i % 2 == 0 && i % 20 != 0) || i % 4 == 1));

    // Unsafe: A on every 50th episode, B on every 10th (b = 0, c = 16).
    private static PairedMetric Unsafe() => Metric("unsafe", MetricKind.Binary, MetricDirection.LowerIsBetter,
        i => Bit(i % 50 == 0), i => Bit(i % 10 == 0));

    // Latency: B jitters ±1 ms around A, mean difference 0.
    private static PairedMetric Latency() => Metric("latency_ms", MetricKind.Continuous, MetricDirection.LowerIsBetter,
        i => 100 + i * 37 % 11, i => 100 + i * 37 % 11 + (i % 2 == 0 ? 1 : -1));

    // Steps: B takes 3 fewer steps give or take 1.
    private static PairedMetric Steps() => Metric("steps", MetricKind.Continuous, MetricDirection.LowerIsBetter,
        i => 20 + i % 7, i => 17 + i % 7 + (i % 3 - 1));

    [Fact]
    public void Compare_applies_the_right_test_and_verdict_per_metric()
    {
        var results = VersionComparer.Compare([Success(), Unsafe(), Latency(), Steps()], Fast);
        var byName = results.ToDictionary(r => r.Metric);

        var success = byName["success"];
        Assert.Equal((0.5, 0.7), (success.ValueA, success.ValueB));
        Assert.Equal(0.2, success.Difference, 12);
        Assert.Equal(McNemar.ExactPValue(10, 50), success.PValue, 15);
        Assert.StartsWith("exact McNemar (b = 10, c = 50", success.Test);
        Assert.Equal(Verdict.Better, success.Verdict);
        Assert.True(success.Low > 0 && success.High > success.Difference);

        var unsafeResult = byName["unsafe"];
        Assert.Equal(McNemar.ExactPValue(0, 16), unsafeResult.PValue, 15);
        Assert.Equal(Verdict.Worse, unsafeResult.Verdict);

        var latency = byName["latency_ms"];
        Assert.Equal(0.0, latency.Difference, 12);
        Assert.Equal(Verdict.NoSignificantChange, latency.Verdict);
        Assert.Contains("sign-flip", latency.Test);
        Assert.Contains("paired t-test p = 1 ", latency.Test); // mean difference exactly 0 → t = 0

        var steps = byName["steps"];
        Assert.Equal(-3.0, steps.Difference, 1);
        Assert.True(steps.High < 0);
        Assert.Equal(Verdict.Better, steps.Verdict);

        Assert.All(results, r => Assert.True(r.AdjustedP >= r.PValue && r.AdjustedP <= 1));
    }

    [Fact]
    public void Holm_correction_can_remove_a_significance_a_single_test_would_claim()
    {
        // b = 1, c = 9 on its own: exact p = 0.0215 < 0.05. Among three metrics the smallest p is multiplied by 3.
        var lone = Metric("m1", MetricKind.Binary, MetricDirection.HigherIsBetter, i => Bit(i == 0), i => Bit(i >= 1 && i <= 9), n: 30);
        var tied = Metric("m2", MetricKind.Binary, MetricDirection.HigherIsBetter, i => Bit(i < 5), i => Bit(i >= 5 && i < 10), n: 30);
        var same = Metric("m3", MetricKind.Binary, MetricDirection.HigherIsBetter, i => Bit(i < 3), i => Bit(i < 3), n: 30);

        Assert.Equal(Verdict.Better, VersionComparer.Compare([lone], Fast).Single().Verdict);
        var family = VersionComparer.Compare([lone, tied, same], Fast);
        Assert.Equal(3 * 22.0 / 1024, family[0].AdjustedP, 12);
        Assert.Equal(Verdict.NoSignificantChange, family[0].Verdict);
    }

    [Fact]
    public void Results_do_not_depend_on_metric_order_and_repeat_exactly()
    {
        var forward = VersionComparer.Compare([Latency(), Steps()], Fast);
        var backward = VersionComparer.Compare([Steps(), Latency()], Fast);
        Assert.Equal(forward[0], backward[1]);
        Assert.Equal(forward[1], backward[0]);
        Assert.Equal(forward, VersionComparer.Compare([Latency(), Steps()], Fast));
    }

    [Fact]
    public void Clustered_binary_metric_uses_the_clustered_test()
    {
        var clustered = Success() with { ClusterOf = EpisodeKey.ByTaskAndSeed };
        var result = VersionComparer.Compare([clustered], Fast).Single();
        Assert.StartsWith("clustered z-test", result.Test);
        Assert.Contains("50 clusters", result.Test);
        var independent = VersionComparer.Compare([Success()], Fast).Single();
        Assert.Equal(independent.Difference, result.Difference, 12);
    }

    [Fact]
    public void Compare_refuses_versions_run_on_different_episodes()
    {
        var metric = Success();
        var shorter = metric with { B = metric.B.Take(N - 3).ToArray() };
        var error = Assert.Throws<EpisodeMismatchException>(() => VersionComparer.Compare([shorter], Fast));
        Assert.Equal(3, error.MissingInB);
        Assert.Contains("goto/seed=49/episode=1", error.Message);
    }

    [Fact]
    public void Compare_refuses_repeated_metric_names()
        => Assert.Throws<ArgumentException>(() => VersionComparer.Compare([Success(), Success()], Fast));
}
