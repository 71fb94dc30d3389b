using Workbench.Evals.Statistics;
using Workbench.Runtime;

namespace Workbench.Tests.Evals;

public class PairedContinuousTests
{
    private static PairedSample Darwin() =>
        PairedSample.FromAligned(new double[TestData.DarwinDifferences.Length], TestData.DarwinDifferences);

    // Fisher (1935), The Design of Experiments, ch. III (Darwin's experiment): of the 2^15 = 32768 sign assignments of Darwin's
    // differences, 1726 give |sum| ≥ the observed 314, so the exact two-sided p is 1726/32768 = 0.0527.
    [Fact]
    public void Sign_flip_p_matches_Fisher_exact_randomisation_test_on_Darwin_data()
    {
        double p = SignFlip.PValue(TestData.DarwinDifferences, resamples: 200_000, seed: 5);
        Assert.InRange(p, 0.0527 - 0.002, 0.0527 + 0.002);
    }

    [Fact]
    public void Sign_flip_flips_a_cluster_as_one_unit()
    {
        // All pairs in one cluster: only ±(total) is possible, both as extreme as observed, so p = 1.
        string[] one = Enumerable.Repeat("same-seed", TestData.DarwinDifferences.Length).ToArray();
        Assert.Equal(1.0, SignFlip.PValue(TestData.DarwinDifferences, one, resamples: 1_000, seed: 5));
    }

    [Fact]
    public void Sign_flip_p_is_one_for_zero_differences_and_small_for_a_clear_shift()
    {
        Assert.Equal(1.0, SignFlip.PValue(new double[20], resamples: 1_000));
        double[] shifted = Enumerable.Range(0, 30).Select(i => 1.0 + (i % 3) * 0.1).ToArray();
        Assert.Equal(1.0 / 1_001, SignFlip.PValue(shifted, resamples: 1_000, seed: 1), 12);
    }

    // Darwin's data by paired t (Fisher 1935, ch. III; widely reproduced): mean 20.93, t = 2.148 on 14 df,
    // two-sided p = 0.0497. The 95% CI is computed by hand: 20.93 ± 2.1448·9.7456 = (0.03, 41.84) eighths of an inch.
    [Fact]
    public void Paired_t_matches_Fisher_on_Darwin_data()
    {
        var t = PairedTTest.Test(Darwin());
        Assert.Equal(20.93, Math.Round(t.MeanDifference, 2));
        Assert.Equal(2.148, Math.Round(t.T, 3));
        Assert.Equal(14, t.DegreesOfFreedom);
        Assert.Equal(0.0497, Math.Round(t.PValue, 4));
        Assert.Equal(0.03, Math.Round(t.Low, 2));
        Assert.Equal(41.84, Math.Round(t.High, 2));
    }

    [Fact]
    public void Paired_bootstrap_is_deterministic_and_brackets_the_mean_difference()
    {
        var first = PairedBootstrap.Compare(Darwin(), 5_000, 0.95, seed: 9);
        var again = PairedBootstrap.Compare(Darwin(), 5_000, 0.95, seed: 9);
        Assert.Equal(first, again);
        Assert.Equal(314.0 / 15, first.MeanDifference, 12);
        Assert.True(first.Low < first.MeanDifference && first.MeanDifference < first.High);
        // Bootstrap SE → plug-in SE s_n/√n = 9.746·√(14/15) = 9.415 for Darwin's differences.
        Assert.InRange(first.StandardError, 9.415 * 0.95, 9.415 * 1.05);
        Assert.InRange(first.PValue, 0.04, 0.07); // sign-flip p ≈ 0.0527
    }

    [Fact]
    public void Cluster_bootstrap_standard_error_tracks_Miller_clustered_se()
    {
        var rng = new Rng(17);
        // 40 seeds × 3 episodes; a seed effect shared by its episodes makes differences correlated.
        var a = new List<double>();
        var b = new List<double>();
        var ids = new List<string>();
        for (int s = 0; s < 40; s++)
        {
            double seedEffect = TestData.Gaussian(rng);
            for (int e = 0; e < 3; e++)
            {
                double baseline = TestData.Gaussian(rng);
                a.Add(baseline);
                b.Add(baseline + 0.2 + seedEffect + 0.3 * TestData.Gaussian(rng));
                ids.Add($"seed{s}");
            }
        }
        var sample = PairedSample.FromAligned(a, b);
        var miller = ClusteredMean.Estimate(sample.Differences, ids);
        var naive = ClusteredMean.Estimate(sample.Differences);
        var boot = PairedBootstrap.Compare(sample, 4_000, 0.95, seed: 3, clusterIds: ids);
        Assert.True(miller.StandardError > 1.4 * naive.StandardError);
        Assert.InRange(boot.StandardError, miller.StandardError * 0.9, miller.StandardError * 1.1);
    }

    [Fact]
    public void Paired_standard_error_is_smaller_than_unpaired_on_positively_correlated_data()
    {
        // Each episode has a difficulty both versions feel (correlation ≈ 0.8); B is 0.1 better everywhere.
        var rng = new Rng(23);
        var a = new double[300];
        var b = new double[300];
        for (int i = 0; i < a.Length; i++)
        {
            double difficulty = 2 * TestData.Gaussian(rng);
            a[i] = difficulty + TestData.Gaussian(rng);
            b[i] = difficulty + 0.1 + TestData.Gaussian(rng);
        }
        var paired = PairedTTest.Test(PairedSample.FromAligned(a, b)).StandardError;
        double unpaired = Unpaired.StandardErrorOfDifference(a, b);
        Assert.True(paired < 0.6 * unpaired, $"paired {paired} vs unpaired {unpaired}");

        // Exact identity behind it: s_d² = s_A² + s_B² − 2·cov(A, B).
        double cov = MathNet.Numerics.Statistics.Statistics.Covariance(a, b);
        Assert.Equal(unpaired * unpaired - 2 * cov / a.Length, paired * paired, 10);
    }

    [Fact]
    public void Paired_standard_error_is_larger_than_unpaired_on_negatively_correlated_data()
    {
        var rng = new Rng(29);
        var a = new double[300];
        var b = new double[300];
        for (int i = 0; i < a.Length; i++)
        {
            double swing = TestData.Gaussian(rng);
            a[i] = swing + 0.3 * TestData.Gaussian(rng);
            b[i] = -swing + 0.3 * TestData.Gaussian(rng);
        }
        Assert.True(PairedTTest.Test(PairedSample.FromAligned(a, b)).StandardError > Unpaired.StandardErrorOfDifference(a, b));
    }
}
