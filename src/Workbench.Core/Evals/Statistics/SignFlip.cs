using Workbench.Runtime;

namespace Workbench.Evals.Statistics;

/// <summary>
/// Sign-flip (paired permutation) test of H0: the mean paired difference is zero, with differences
/// symmetric about zero under H0 (Fisher 1935, Darwin's Zea mays). Each resample flips the sign of every
/// pair's difference — or of every cluster's summed difference, so clustered episodes move together — with
/// probability ½. Two-sided p = (1 + #{|S*| ≥ |S_obs|}) / (1 + R) (Phipson &amp; Smyth 2010), never 0.
/// </summary>
public static class SignFlip
{
    public static double PValue(IReadOnlyList<double> differences, IReadOnlyList<string>? clusterIds = null, int resamples = 10_000, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(differences);
        if (differences.Count == 0) throw new ArgumentException("need at least one difference", nameof(differences));
        Critical.CheckFinite(differences, nameof(differences));
        Bootstrap.CheckResamples(resamples);

        double[] clusterSums = Clusters.Group(differences.Count, clusterIds)
            .Select(members => members.Sum(i => differences[i])).ToArray();
        double observed = Math.Abs(clusterSums.Sum());
        // Sums that differ from the observed one only by rounding count as "as extreme".
        double tolerance = 1e-9 * Math.Max(1.0, clusterSums.Sum(Math.Abs));
        var rng = new Rng(seed);
        int asExtreme = 0;
        for (int r = 0; r < resamples; r++)
        {
            double s = 0;
            foreach (double c in clusterSums) s += rng.NextBool() ? c : -c;
            if (Math.Abs(s) >= observed - tolerance) asExtreme++;
        }
        return (1.0 + asExtreme) / (1.0 + resamples);
    }
}
