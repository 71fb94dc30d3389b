using Workbench.Evals.Statistics;

namespace Workbench.Tests.Evals;

public class PairedSampleTests
{
    private static KeyedValue V(string task, long seed, long episode, double value) => new(new EpisodeKey(task, seed, episode), value);

    [Fact]
    public void Align_pairs_by_key_not_by_position()
    {
        KeyedValue[] a = [V("go", 1, 0, 1), V("go", 1, 1, 0), V("pick", 2, 0, 1)];
        KeyedValue[] b = [V("pick", 2, 0, 0), V("go", 1, 0, 1), V("go", 1, 1, 1)];
        var sample = PairedSample.Align(a, b);
        Assert.Equal(new double[] { 1, 0, 1 }, sample.A);
        Assert.Equal(new double[] { 1, 1, 0 }, sample.B);
        Assert.Equal(new double[] { 0, 1, -1 }, sample.Differences);
    }

    [Fact]
    public void Align_refuses_missing_episodes_with_counts_and_an_example()
    {
        KeyedValue[] a = [V("go", 1, 0, 1), V("go", 1, 1, 0), V("go", 1, 2, 0)];
        KeyedValue[] b = [V("go", 1, 0, 1), V("go", 9, 5, 1)];
        var error = Assert.Throws<EpisodeMismatchException>(() => PairedSample.Align(a, b, "success"));
        Assert.Equal((1, 2, 0), (error.MissingInA, error.MissingInB, error.Duplicates));
        Assert.Contains("'success'", error.Message);
        Assert.Contains("2 episode(s) of A missing from B (e.g. go/seed=1/episode=1)", error.Message);
        Assert.Contains("1 episode(s) of B missing from A (e.g. go/seed=9/episode=5)", error.Message);
    }

    [Fact]
    public void Align_refuses_duplicated_keys()
    {
        KeyedValue[] a = [V("go", 1, 0, 1), V("go", 1, 0, 0)];
        KeyedValue[] b = [V("go", 1, 0, 1)];
        var error = Assert.Throws<EpisodeMismatchException>(() => PairedSample.Align(a, b));
        Assert.Equal(1, error.Duplicates);
        Assert.Contains("duplicated", error.Message);
    }

    [Fact]
    public void Align_refuses_non_finite_values()
        => Assert.Throws<ArgumentException>(() => PairedSample.Align([V("go", 1, 0, double.NaN)], [V("go", 1, 0, 1)]));

    [Fact]
    public void Cluster_ids_follow_the_chosen_clustering()
    {
        var sample = PairedSample.Align([V("go", 1, 0, 1), V("go", 1, 1, 0)], [V("go", 1, 0, 1), V("go", 1, 1, 1)]);
        Assert.Null(sample.ClusterIds(null));
        Assert.Equal(new[] { "go/1", "go/1" }, sample.ClusterIds(EpisodeKey.ByTaskAndSeed));
    }
}
