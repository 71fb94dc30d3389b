namespace Workbench.Evals.Statistics;

/// <summary>Mean with a cluster-robust standard error and a normal-quantile interval.</summary>
public sealed record ClusteredEstimate(double Mean, double StandardError, double Low, double High, int Count, int ClusterCount)
{
    public ConfidenceInterval Interval => new(Mean, Low, High);
}

/// <summary>
/// Cluster-robust standard error of a mean, Miller (2024) "Adding Error Bars to Evals", eq. for SE_clustered:
/// <code>SE² = (1/n²) Σ_c ( Σ_{i∈c} (x_i − x̄) )²</code>
/// Episodes drawn from the same source (task+seed, level, prompt template) are not independent; summing the
/// residuals inside a cluster before squaring counts their covariance.
/// <para>
/// Convention: this is the "n" (plug-in) convention. With every cluster a singleton it is exactly
/// √(Σ(x_i − x̄)²)/n = s_n/√n, i.e. the sample SE s/√n times √((n−1)/n). No small-sample (G/(G−1))
/// correction is applied; with the hundreds of episodes an eval runs the difference is below rounding.
/// The interval is mean ± z·SE with z the normal quantile, as in Miller's paper.
/// </para>
/// </summary>
public static class ClusteredMean
{
    /// <param name="values">one value per episode (0/1 for binary metrics)</param>
    /// <param name="clusterIds">cluster of each value, or null for independent episodes</param>
    public static ClusteredEstimate Estimate(IReadOnlyList<double> values, IReadOnlyList<string>? clusterIds = null, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("need at least one value", nameof(values));
        Critical.CheckFinite(values, nameof(values));
        int[][] groups = Clusters.Group(values.Count, clusterIds);

        int n = values.Count;
        double mean = 0;
        for (int i = 0; i < n; i++) mean += values[i];
        mean /= n;

        double sumOfSquaredClusterResiduals = 0;
        foreach (int[] members in groups)
        {
            double residual = 0;
            foreach (int i in members) residual += values[i] - mean;
            sumOfSquaredClusterResiduals += residual * residual;
        }
        double se = Math.Sqrt(sumOfSquaredClusterResiduals) / n;
        double z = Critical.Z(confidence);
        return new ClusteredEstimate(mean, se, mean - z * se, mean + z * se, n, groups.Length);
    }
}
