namespace Workbench.Evals.Statistics;

/// <summary>
/// Holm–Bonferroni step-down adjustment (Holm 1979), controlling the family-wise error rate across the
/// metrics of one comparison. For sorted p_(1) ≤ … ≤ p_(m): p̃_(i) = min(1, max_{j ≤ i} (m − j + 1)·p_(j)).
/// Rejecting where p̃ ≤ α is Holm's procedure at level α. Ties keep their input order (stable sort), which
/// does not change the adjusted values.
/// </summary>
public static class Holm
{
    /// <summary>Adjusted p-values in the input order; monotone in the raw p-values and capped at 1.</summary>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        for (int i = 0; i < pValues.Count; i++)
            if (!(pValues[i] >= 0 && pValues[i] <= 1))
                throw new ArgumentOutOfRangeException(nameof(pValues), pValues[i], $"p-value {i} must be in [0, 1]");

        int m = pValues.Count;
        int[] order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[m];
        double runningMax = 0;
        for (int rank = 0; rank < m; rank++)
        {
            int i = order[rank];
            runningMax = Math.Max(runningMax, Math.Min(1.0, (m - rank) * pValues[i]));
            adjusted[i] = runningMax;
        }
        return adjusted;
    }
}
