namespace Workbench.Evals.Statistics;

/// <summary>
/// The Wilson score interval for a single proportion (Wilson 1927; method 3 in Newcombe 1998). Unlike the
/// Wald interval it stays inside [0, 1] and keeps near-nominal coverage at 0 or n successes, which is where
/// safety metrics (refusals, harmful compliance) live.
/// </summary>
public static class Wilson
{
    /// <summary>(p̂ = successes/n, low, high) at the given two-sided confidence.</summary>
    public static ConfidenceInterval Interval(int successes, int n, double confidence = 0.95)
    {
        CheckCounts(successes, n);
        double z = Critical.Z(confidence);
        double p = (double)successes / n;
        double z2 = z * z;
        double centre = (p + z2 / (2.0 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        // The ends are exactly 0 and 1 at x = 0 and x = n; clamp away rounding.
        double low = successes == 0 ? 0 : Math.Max(0, centre - half);
        double high = successes == n ? 1 : Math.Min(1, centre + half);
        return new ConfidenceInterval(p, low, high);
    }

    /// <summary>The normal-approximation (Wald) standard error √(p̂(1−p̂)/n); zero at p̂ = 0 or 1, which is why we report Wilson.</summary>
    public static double StandardError(int successes, int n)
    {
        CheckCounts(successes, n);
        double p = (double)successes / n;
        return Math.Sqrt(p * (1 - p) / n);
    }

    private static void CheckCounts(int successes, int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "need at least one trial");
        if (successes < 0 || successes > n)
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"must be in [0, n = {n}]");
    }
}
