using MathNet.Numerics.Statistics;
using Workbench.Evals.Statistics;

namespace Workbench.Tests.Evals;

public class ClusteredMeanTests
{
    private static readonly double[] Values = [0.2, 0.9, 0.4, 0.7, 0.1, 0.5, 0.8, 0.3];

    // Miller (2024), "Adding Error Bars to Evals", §clustered standard errors: with one item per cluster the
    // clustered SE is the ordinary SE. Our convention is n (population SD), documented on ClusteredMean.
    [Fact]
    public void Singleton_clusters_reduce_to_the_ordinary_standard_error_with_n_convention()
    {
        var result = ClusteredMean.Estimate(Values);
        int n = Values.Length;
        Assert.Equal(Values.PopulationStandardDeviation() / Math.Sqrt(n), result.StandardError, 12);
        Assert.Equal(Values.StandardDeviation() / Math.Sqrt(n) * Math.Sqrt((n - 1.0) / n), result.StandardError, 12);
        Assert.Equal((n, n), (result.Count, result.ClusterCount));

        var explicitSingletons = ClusteredMean.Estimate(Values, Values.Select((_, i) => $"c{i}").ToArray());
        Assert.Equal(result, explicitSingletons);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void Perfectly_correlated_clusters_inflate_the_standard_error_by_sqrt_of_cluster_size(int k)
    {
        // Each source value repeated k times inside its own cluster: the clustered SE equals the SE of the
        // sources alone, which is √k times the naive SE that treats the n·k copies as independent.
        double[] repeated = Values.SelectMany(v => Enumerable.Repeat(v, k)).ToArray();
        string[] ids = Values.SelectMany((_, c) => Enumerable.Repeat($"source{c}", k)).ToArray();
        var clustered = ClusteredMean.Estimate(repeated, ids);
        var naive = ClusteredMean.Estimate(repeated);
        var sources = ClusteredMean.Estimate(Values);
        Assert.Equal(sources.StandardError, clustered.StandardError, 12);
        Assert.Equal(Math.Sqrt(k) * naive.StandardError, clustered.StandardError, 12);
        Assert.Equal(Values.Length, clustered.ClusterCount);
    }

    [Fact]
    public void Interval_is_mean_plus_minus_normal_quantile_times_se()
    {
        var result = ClusteredMean.Estimate(Values, null, 0.95);
        Assert.Equal(Values.Mean(), result.Mean, 12);
        Assert.Equal(result.Mean - 1.959963984540054 * result.StandardError, result.Low, 10);
        Assert.Equal(result.Mean + 1.959963984540054 * result.StandardError, result.High, 10);
    }

    [Fact]
    public void Hand_computed_two_cluster_example()
    {
        // x = (1, 0, 1, 1), x̄ = 0.75; clusters {1,0} and {1,1}: residual sums −0.5 and +0.5;
        // SE² = (0.25 + 0.25)/16 = 1/32.
        var result = ClusteredMean.Estimate([1, 0, 1, 1], ["a", "a", "b", "b"]);
        Assert.Equal(Math.Sqrt(1.0 / 32), result.StandardError, 12);
    }

    [Fact]
    public void Rejects_cluster_ids_of_the_wrong_length()
        => Assert.Throws<ArgumentException>(() => ClusteredMean.Estimate(Values, ["a", "b"]));
}
