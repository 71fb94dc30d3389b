using MathNet.Numerics.Statistics;
using Workbench.Runtime;

namespace Workbench.Evals.Statistics;

/// <summary>Percentile bootstrap result: the observed statistic, the interval, and the SD of the resampled statistics.</summary>
public sealed record BootstrapInterval(double Estimate, double Low, double High, double StandardError, int Resamples)
{
    public ConfidenceInterval Interval => new(Estimate, Low, High);
}

/// <summary>
/// Nonparametric bootstrap (Efron &amp; Tibshirani 1993, ch. 6 and 13). Resamples with replacement using
/// <see cref="Rng"/>, so the same seed gives the same interval on every machine. Percentiles use
/// MathNet's R-7 quantile (linear interpolation between order statistics).
/// </summary>
public static class Bootstrap
{
    public static BootstrapInterval MeanInterval(IReadOnlyList<double> values, int resamples = 10_000, double confidence = 0.95, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("need at least one value", nameof(values));
        Critical.CheckFinite(values, nameof(values));
        CheckResamples(resamples);
        Critical.CheckConfidence(confidence);

        int n = values.Count;
        var rng = new Rng(seed);
        var means = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += values[rng.NextInt(n)];
            means[r] = sum / n;
        }
        return Summarise(values.Average(), means, confidence);
    }

    /// <summary>Percentile interval and bootstrap SE from resampled statistics (sorted in place).</summary>
    internal static BootstrapInterval Summarise(double estimate, double[] statistics, double confidence)
    {
        Array.Sort(statistics);
        double tail = (1 - confidence) / 2;
        double low = SortedArrayStatistics.QuantileCustom(statistics, tail, QuantileDefinition.R7);
        double high = SortedArrayStatistics.QuantileCustom(statistics, 1 - tail, QuantileDefinition.R7);
        double se = statistics.Length > 1 ? statistics.StandardDeviation() : 0;
        return new BootstrapInterval(estimate, low, high, se, statistics.Length);
    }

    internal static void CheckResamples(int resamples)
    {
        if (resamples < 100) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "use at least 100 resamples (10,000 is a good default)");
    }
}
