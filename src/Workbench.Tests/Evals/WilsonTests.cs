using Workbench.Evals.Statistics;

namespace Workbench.Tests.Evals;

public class WilsonTests
{
    // Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison of seven methods",
    // Statistics in Medicine 17:857–872, Table I, method 3 (Wilson score interval without continuity correction).
    [Theory]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0000, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void Interval_matches_Newcombe_1998_Table_I(int successes, int n, double low, double high)
    {
        var (estimate, lo, hi) = Wilson.Interval(successes, n);
        Assert.Equal((double)successes / n, estimate, 12);
        Assert.Equal(low, Math.Round(lo, 4));
        Assert.Equal(high, Math.Round(hi, 4));
    }

    [Fact]
    public void Interval_at_all_successes_mirrors_zero_successes()
    {
        var zero = Wilson.Interval(0, 20);
        var all = Wilson.Interval(20, 20);
        Assert.Equal(1.0, all.High);
        Assert.Equal(1 - zero.High, all.Low, 12);
    }

    [Fact]
    public void Wider_confidence_gives_wider_interval()
    {
        var c95 = Wilson.Interval(30, 100, 0.95);
        var c99 = Wilson.Interval(30, 100, 0.99);
        Assert.True(c99.Low < c95.Low && c99.High > c95.High);
    }

    [Fact]
    public void StandardError_is_the_normal_approximation()
    {
        // √(0.3·0.7/100) = 0.0458258
        Assert.Equal(Math.Sqrt(0.21 / 100), Wilson.StandardError(30, 100), 12);
        Assert.Equal(0.0, Wilson.StandardError(0, 50));
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(11, 10)]
    [InlineData(0, 0)]
    public void Rejects_impossible_counts(int successes, int n)
        => Assert.Throws<ArgumentOutOfRangeException>(() => Wilson.Interval(successes, n));
}
