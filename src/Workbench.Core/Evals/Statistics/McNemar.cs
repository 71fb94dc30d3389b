using MathNet.Numerics.Distributions;

namespace Workbench.Evals.Statistics;

/// <summary>The discordant cells of a paired 2×2 table: B = pairs where only A succeeded, C = only B succeeded.</summary>
public readonly record struct DiscordantPairs(int OnlyA, int OnlyB, int Both, int Neither)
{
    public int Total => OnlyA + OnlyB + Both + Neither;
}

/// <summary>
/// McNemar's test for paired binary outcomes (McNemar 1947). Only discordant pairs carry information:
/// under H0 each of the b + c discordant pairs is equally likely to favour A or B.
/// </summary>
public static class McNemar
{
    /// <summary>Counts the 2×2 table from 0/1 outcomes; any other value is an error.</summary>
    public static DiscordantPairs Count(PairedSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        int onlyA = 0, onlyB = 0, both = 0, neither = 0;
        for (int i = 0; i < sample.Count; i++)
        {
            bool a = AsBinary(sample.A[i], sample.Keys[i], "A");
            bool b = AsBinary(sample.B[i], sample.Keys[i], "B");
            if (a && b) both++;
            else if (a) onlyA++;
            else if (b) onlyB++;
            else neither++;
        }
        return new DiscordantPairs(onlyA, onlyB, both, neither);
    }

    /// <summary>
    /// Exact two-sided p-value: p = min(1, 2·P(X ≤ min(b, c))) with X ~ Binomial(b + c, 1/2); 1 when there are
    /// no discordant pairs.
    /// </summary>
    public static double ExactPValue(int b, int c)
    {
        if (b < 0 || c < 0) throw new ArgumentOutOfRangeException(b < 0 ? nameof(b) : nameof(c), "counts must be ≥ 0");
        int n = b + c;
        if (n == 0) return 1.0;
        return Math.Min(1.0, 2.0 * Binomial.CDF(0.5, n, Math.Min(b, c)));
    }

    private static bool AsBinary(double value, EpisodeKey key, string version) => value switch
    {
        0.0 => false,
        1.0 => true,
        _ => throw new ArgumentException($"binary metric has value {value} for {version} at {key}; expected 0 or 1"),
    };
}
