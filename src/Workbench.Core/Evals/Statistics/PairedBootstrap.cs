using Workbench.Runtime;

namespace Workbench.Evals.Statistics;

/// <summary>Paired bootstrap comparison: mean of B − A, percentile interval, bootstrap SE and sign-flip p-value.</summary>
public sealed record PairedBootstrapResult(double MeanDifference, double Low, double High, double StandardError, double PValue, int Resamples)
{
    public ConfidenceInterval Interval => new(MeanDifference, Low, High);
}

/// <summary>
/// Paired bootstrap for continuous metrics. Resamples pairs (or whole clusters of pairs) with replacement, so
/// the interval of the mean difference keeps the within-episode correlation that makes paired comparison
/// sharper than unpaired. The p-value is NOT read off the bootstrap: it is the sign-flip permutation test
/// (<see cref="SignFlip"/>), which is exact in the limit of many resamples under symmetric differences.
/// Interval and p-value use independent streams derived from <paramref name="seed"/>.
/// </summary>
public static class PairedBootstrap
{
    public static PairedBootstrapResult Compare(PairedSample sample, int resamples = 10_000, double confidence = 0.95, ulong seed = 0,
        IReadOnlyList<string>? clusterIds = null)
    {
        ArgumentNullException.ThrowIfNull(sample);
        Bootstrap.CheckResamples(resamples);
        Critical.CheckConfidence(confidence);
        var d = sample.Differences;
        int[][] groups = Clusters.Group(d.Count, clusterIds);
        double[] sums = groups.Select(members => members.Sum(i => d[i])).ToArray();
        int[] sizes = groups.Select(members => members.Length).ToArray();

        var rng = Rng.Derive(seed, 1);
        var means = new double[resamples];
        int g = groups.Length;
        for (int r = 0; r < resamples; r++)
        {
            double sum = 0;
            int count = 0;
            for (int j = 0; j < g; j++)
            {
                int pick = rng.NextInt(g);
                sum += sums[pick];
                count += sizes[pick];
            }
            means[r] = sum / count;
        }
        var interval = Bootstrap.Summarise(d.Average(), means, confidence);
        double p = SignFlip.PValue(d, clusterIds, resamples, Rng.Derive(seed, 2).NextULong());
        return new PairedBootstrapResult(interval.Estimate, interval.Low, interval.High, interval.StandardError, p, resamples);
    }
}
