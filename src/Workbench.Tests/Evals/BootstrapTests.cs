using Workbench.Evals.Statistics;
using Workbench.Runtime;

namespace Workbench.Tests.Evals;

public class BootstrapTests
{
    // Efron & Tibshirani (1993), Table 2.1 mouse data, treatment group: mean 86.86, and the ideal (B → ∞)
    // bootstrap SE of the mean is the plug-in SE √(Σ(x − x̄)²)/n = 23.36 (their ch. 6; checked by hand).
    [Fact]
    public void MeanInterval_standard_error_approaches_Efron_Tibshirani_ideal_bootstrap_value()
    {
        var result = Bootstrap.MeanInterval(TestData.MouseTreatment, resamples: 40_000, seed: 7);
        Assert.Equal(86.857, result.Estimate, 3);
        Assert.InRange(result.StandardError, 23.36 * 0.97, 23.36 * 1.03);
        Assert.True(result.Low < result.Estimate && result.Estimate < result.High);
    }

    [Fact]
    public void Same_seed_gives_the_same_interval_and_a_different_seed_does_not()
    {
        double[] values = Enumerable.Range(0, 50).Select(i => (double)(i * 37 % 11)).ToArray();
        var first = Bootstrap.MeanInterval(values, 2_000, 0.95, seed: 42);
        var again = Bootstrap.MeanInterval(values, 2_000, 0.95, seed: 42);
        var other = Bootstrap.MeanInterval(values, 2_000, 0.95, seed: 43);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Percentile_interval_agrees_with_normal_theory_for_a_large_sample()
    {
        var rng = new Rng(3);
        double[] values = Enumerable.Range(0, 2_000).Select(_ => 5 + 2 * TestData.Gaussian(rng)).ToArray();
        var boot = Bootstrap.MeanInterval(values, 5_000, 0.95, seed: 11);
        var normal = ClusteredMean.Estimate(values);
        Assert.InRange(boot.Low, normal.Low - 0.1 * normal.StandardError * 1.96, normal.Low + 0.1 * normal.StandardError * 1.96);
        Assert.InRange(boot.High, normal.High - 0.1 * normal.StandardError * 1.96, normal.High + 0.1 * normal.StandardError * 1.96);
    }

    [Fact]
    public void Constant_values_give_a_degenerate_interval()
    {
        var result = Bootstrap.MeanInterval([0.5, 0.5, 0.5, 0.5], 500, seed: 1);
        Assert.Equal((0.5, 0.5, 0.5, 0.0), (result.Low, result.Estimate, result.High, result.StandardError));
    }

    [Fact]
    public void Rejects_missing_values_and_too_few_resamples()
    {
        Assert.Throws<ArgumentException>(() => Bootstrap.MeanInterval([1.0, double.NaN], 1_000));
        Assert.Throws<ArgumentException>(() => Bootstrap.MeanInterval([], 1_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.MeanInterval([1.0, 2.0], 10));
    }
}
