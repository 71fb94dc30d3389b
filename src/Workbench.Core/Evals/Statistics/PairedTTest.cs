using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace Workbench.Evals.Statistics;

/// <summary>Paired t-test result; the interval is for the mean difference B − A.</summary>
public sealed record TTestResult(double MeanDifference, double StandardError, double T, double DegreesOfFreedom, double PValue, double Low, double High)
{
    public ConfidenceInterval Interval => new(MeanDifference, Low, High);
}

/// <summary>
/// Student's paired t-test on d = B − A: t = d̄ / (s_d/√n) with n − 1 degrees of freedom (sample SD, n − 1
/// convention), two-sided p from MathNet's StudentT. Reported next to the paired bootstrap for continuous
/// metrics; it assumes roughly normal mean differences, which the bootstrap does not.
/// </summary>
public static class PairedTTest
{
    public static TTestResult Test(PairedSample sample, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(sample);
        Critical.CheckConfidence(confidence);
        int n = sample.Count;
        if (n < 2) throw new ArgumentException("a paired t-test needs at least two pairs", nameof(sample));
        double mean = sample.Differences.Mean();
        double se = sample.Differences.StandardDeviation() / Math.Sqrt(n);
        double df = n - 1;
        double half = Critical.T(confidence, df) * se;
        if (se == 0)
        {
            // All differences equal: no sampling noise; zero difference is "no evidence", anything else is certain.
            return new TTestResult(mean, 0, mean == 0 ? 0 : Math.Sign(mean) * double.PositiveInfinity, df, mean == 0 ? 1 : 0, mean, mean);
        }
        double t = mean / se;
        double p = 2 * (1 - StudentT.CDF(0, 1, df, Math.Abs(t)));
        return new TTestResult(mean, se, t, df, Math.Min(1, p), mean - half, mean + half);
    }
}
