using Workbench.Evals.Statistics;

namespace Workbench.Tests.Evals;

public class PowerAnalysisTests
{
    // Two independent proportions 0.5 vs 0.6, α = 0.05 two-sided, power 0.8, pooled z-test without continuity
    // correction (Fleiss, Levin & Paik 2003, ch. 4). By hand: z_a = 1.959964, z_b = 0.841621, p̄ = 0.55,
    // [1.959964·√0.495 + 0.841621·√0.49]² / 0.01 = (1.378956 + 0.589135)² / 0.01 = 387.34 → 388.
    // (The unpooled textbook variant (z_a + z_b)²·0.49/0.01 = 384.6 → 385; the brief's range is 385–388.)
    [Fact]
    public void Two_proportions_half_vs_sixty_percent_needs_388_per_version()
    {
        Assert.Equal(388, PowerAnalysis.EpisodesForProportions(0.5, 0.1));
        Assert.Equal(388, PowerAnalysis.EpisodesForProportions(0.6, -0.1)); // symmetric in the two proportions
    }

    [Fact]
    public void More_power_or_smaller_alpha_needs_more_episodes()
    {
        int baseline = PowerAnalysis.EpisodesForProportions(0.5, 0.1);
        Assert.True(PowerAnalysis.EpisodesForProportions(0.5, 0.1, power: 0.9) > baseline);
        Assert.True(PowerAnalysis.EpisodesForProportions(0.5, 0.1, alpha: 0.01) > baseline);
        Assert.True(PowerAnalysis.EpisodesForProportions(0.5, 0.2) < baseline);
    }

    // Paired/McNemar design (Connor 1987): ψ = 0.2 discordant, δ = 0.1. By hand:
    // [1.959964·√0.2 + 0.841621·√0.19]² / 0.01 = (0.876523 + 0.366855)² / 0.01 = 154.60 → 155,
    // far fewer than the 388 per version of the unpaired design.
    [Fact]
    public void Paired_proportions_with_twenty_percent_discordance_need_155_episodes()
    {
        Assert.Equal(155, PowerAnalysis.EpisodesForPairedProportions(0.2, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PowerAnalysis.EpisodesForPairedProportions(0.05, 0.1));
    }

    // Means, σ = 1, δ = 0.5 (Cohen's d = 0.5): 2·(1.959964 + 0.841621)²/0.25 = 62.79 → 63 per version
    // (Cohen 1988 Table 2.4.1 lists 64, from the t distribution; this is the normal approximation).
    // Paired with σ_d = 1: (z_a + z_b)²/0.25 = 31.40 → 32.
    [Fact]
    public void Means_with_effect_size_half_need_63_per_version_or_32_pairs()
    {
        Assert.Equal(63, PowerAnalysis.EpisodesForMeans(1.0, 0.5));
        Assert.Equal(32, PowerAnalysis.EpisodesForPairedMeans(1.0, 0.5));
        Assert.Equal(63, PowerAnalysis.EpisodesForMeans(2.0, 1.0)); // scale-free
    }

    [Fact]
    public void Rejects_impossible_inputs()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PowerAnalysis.EpisodesForProportions(0.95, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PowerAnalysis.EpisodesForProportions(0.5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PowerAnalysis.EpisodesForMeans(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PowerAnalysis.EpisodesForMeans(1, 1, power: 1));
    }
}
