namespace Workbench.Evals.Statistics;

/// <summary>
/// How many episodes an eval needs to detect a given change with two-sided level α and the given power.
/// All results are rounded up. z_a = z_(1−α/2), z_b = z_(power).
/// </summary>
public static class PowerAnalysis
{
    /// <summary>
    /// Episodes per version for two INDEPENDENT proportions p1 vs p2 = p1 + delta, pooled-variance z-test without
    /// continuity correction (Fleiss, Levin &amp; Paik 2003, ch. 4):
    /// <code>n = [ z_a·√(2·p̄(1−p̄)) + z_b·√(p1(1−p1) + p2(1−p2)) ]² / δ²,  p̄ = (p1 + p2)/2</code>
    /// This is the conservative bound for unpaired evals. p1 = 0.5, δ = 0.1 → 388.
    /// </summary>
    public static int EpisodesForProportions(double p1, double delta, double alpha = 0.05, double power = 0.8)
    {
        double p2 = p1 + delta;
        CheckProportion(p1, nameof(p1));
        if (delta == 0 || !(p2 > 0 && p2 < 1)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "need delta ≠ 0 with p1 + delta in (0, 1)");
        var (za, zb) = Quantiles(alpha, power);
        double pBar = (p1 + p2) / 2;
        double root = za * Math.Sqrt(2 * pBar * (1 - pBar)) + zb * Math.Sqrt(p1 * (1 - p1) + p2 * (1 - p2));
        return RoundUp(root * root / (delta * delta));
    }

    /// <summary>
    /// Episodes (pairs) for the PAIRED design analysed with McNemar's test (Connor 1987, Biometrics 43:207):
    /// <code>n = [ z_a·√ψ + z_b·√(ψ − δ²) ]² / δ²</code>
    /// with ψ = P(discordant) = p10 + p01 and δ = p01 − p10 the difference in proportions. Both versions run on
    /// the same episodes, so this is the total episode count. ψ = 0.2, δ = 0.1 → 155.
    /// </summary>
    public static int EpisodesForPairedProportions(double discordanceRate, double delta, double alpha = 0.05, double power = 0.8)
    {
        CheckProportion(discordanceRate, nameof(discordanceRate));
        if (delta == 0 || Math.Abs(delta) > discordanceRate)
            throw new ArgumentOutOfRangeException(nameof(delta), delta, $"need 0 < |delta| ≤ discordance rate ({discordanceRate})");
        var (za, zb) = Quantiles(alpha, power);
        double root = za * Math.Sqrt(discordanceRate) + zb * Math.Sqrt(discordanceRate - delta * delta);
        return RoundUp(root * root / (delta * delta));
    }

    /// <summary>
    /// Episodes per version for two INDEPENDENT means with common SD σ (normal approximation):
    /// <code>n = 2·(z_a + z_b)²·σ² / δ²</code>  σ = 1, δ = 0.5 → 63 (a t-based iteration gives 64).
    /// </summary>
    public static int EpisodesForMeans(double sd, double delta, double alpha = 0.05, double power = 0.8)
    {
        CheckSdDelta(sd, delta);
        var (za, zb) = Quantiles(alpha, power);
        return RoundUp(2 * Math.Pow(za + zb, 2) * sd * sd / (delta * delta));
    }

    /// <summary>
    /// Episodes (pairs) for a PAIRED comparison of means, σ_d the SD of per-episode differences B − A:
    /// <code>n = (z_a + z_b)²·σ_d² / δ²</code>  Since σ_d² = σ_A² + σ_B² − 2σ_AB, correlated episodes need fewer.
    /// </summary>
    public static int EpisodesForPairedMeans(double sdOfDifferences, double delta, double alpha = 0.05, double power = 0.8)
    {
        CheckSdDelta(sdOfDifferences, delta);
        var (za, zb) = Quantiles(alpha, power);
        return RoundUp(Math.Pow(za + zb, 2) * sdOfDifferences * sdOfDifferences / (delta * delta));
    }

    private static (double Za, double Zb) Quantiles(double alpha, double power)
    {
        Critical.CheckAlpha(alpha);
        return (Critical.Z(1 - alpha), Critical.ZPower(power));
    }

    // Guard against 384.0000000001 from rounding turning into 385.
    private static int RoundUp(double n) => (int)Math.Ceiling(n - 1e-9);

    private static void CheckProportion(double p, string name)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(name, p, "must be in (0, 1)");
    }

    private static void CheckSdDelta(double sd, double delta)
    {
        if (!(sd > 0) || !double.IsFinite(sd)) throw new ArgumentOutOfRangeException(nameof(sd), sd, "must be > 0");
        if (delta == 0 || !double.IsFinite(delta)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "must be a finite non-zero difference");
    }
}
