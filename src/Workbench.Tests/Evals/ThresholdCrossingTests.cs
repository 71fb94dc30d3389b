using Workbench.Evals.Statistics;

namespace Workbench.Tests.Evals;

/// <summary>BabyAI's GP estimate of the first 99 % crossing, on curves whose crossing is known.</summary>
public class ThresholdCrossingTests
{
    // A logistic learning curve in log2(demos): success = 1 / (1 + e^(−2(x − 8))), so it reaches 0.99 at x = 8 + ln(99)/2.
    private static double Curve(double x) => 1 / (1 + Math.Exp(-2 * (x - 8)));
    private static readonly double TrueCrossing = 8 + Math.Log(99) / 2;

    private static (List<double> X, List<double> Y) TwoSeeds(double from, double to, Func<double, double> curve)
    {
        var x = new List<double>();
        var y = new List<double>();
        for (double v = from; v <= to + 1e-9; v += 0.25)
            foreach (double noise in new[] { -0.002, 0.002 }) // two seeds either side of the curve
            {
                x.Add(v);
                y.Add(Math.Clamp(curve(v) + noise, 0, 1));
            }
        return (x, y);
    }

    [Fact]
    public void Finds_a_known_crossing_with_an_interval_around_it()
    {
        var (x, y) = TwoSeeds(8, 13, Curve);
        var estimate = ThresholdCrossing.Estimate(x, y, 0.99)!;
        Assert.InRange(estimate.Median, TrueCrossing - 0.25, TrueCrossing + 0.25);
        Assert.True(estimate.Low <= TrueCrossing && TrueCrossing <= estimate.High, $"[{estimate.Low}, {estimate.High}] misses {TrueCrossing}");
        Assert.True(estimate.High - estimate.Low < 1.5, $"interval [{estimate.Low}, {estimate.High}] is too wide to be informative");
        Assert.True(estimate.ProbabilityInRange > 0.99);
    }

    [Fact]
    public void Reports_in_the_swept_units_and_is_deterministic()
    {
        var (x, y) = TwoSeeds(8, 13, Curve);
        var inLog = ThresholdCrossing.Estimate(x, y, 0.99)!;
        var inDemos = ThresholdCrossing.Estimate(x, y, 0.99, v => Math.Pow(2, v))!;
        Assert.Equal(Math.Pow(2, inLog.Median), inDemos.Median, 6);
        Assert.Equal(inDemos, ThresholdCrossing.Estimate(x, y, 0.99, v => Math.Pow(2, v))! with { Warnings = inDemos.Warnings });
    }

    [Fact]
    public void A_curve_that_never_reaches_the_threshold_says_so()
    {
        var (x, y) = TwoSeeds(4, 7, v => 0.6 * Curve(v));
        var estimate = ThresholdCrossing.Estimate(x, y, 0.99)!;
        Assert.True(estimate.ProbabilityInRange < 0.01);
        Assert.True(double.IsNaN(estimate.Median));
        Assert.NotEmpty(estimate.Warnings);
    }

    [Fact]
    public void One_swept_value_cannot_be_interpolated()
    {
        Assert.Null(ThresholdCrossing.Estimate([10, 10], [0.5, 0.6], 0.99));
        Assert.Throws<ArgumentException>(() => ThresholdCrossing.Estimate([1, 2], [0.5], 0.99));
    }
}
