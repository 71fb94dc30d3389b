using Workbench.Evals.Statistics;

namespace Workbench.Tests.Evals;

public class PairedProportionsTests
{
    // Agresti (2002), Categorical Data Analysis, §10.1.1, Table 10.1: approval 944/1600 then 880/1600;
    // cells (approve, approve) 794, (approve, disapprove) 150, (disapprove, approve) 86, (disapprove, disapprove) 570.
    // Difference 0.55 − 0.59 = −0.04 with SE 0.0095 and 95% CI −0.04 ± 1.96·0.0095; to three decimals (−0.059, −0.021).
    [Fact]
    public void Paired_difference_matches_Agresti_presidential_approval()
    {
        var sample = TestData.BinaryTable(both: 794, onlyA: 150, onlyB: 86, neither: 570);
        var diff = PairedProportions.Difference(sample);
        Assert.Equal(-0.04, diff.Mean, 12);
        Assert.Equal(0.0095, Math.Round(diff.StandardError, 4));
        Assert.Equal(-0.059, Math.Round(diff.Low, 3));
        Assert.Equal(-0.021, Math.Round(diff.High, 3));
    }

    [Fact]
    public void Standard_error_is_the_paired_Wald_formula()
    {
        // SE = √((b + c) − (b − c)²/n)/n
        var sample = TestData.BinaryTable(both: 20, onlyA: 4, onlyB: 11, neither: 15);
        double expected = Math.Sqrt(15 - 49.0 / 50) / 50;
        Assert.Equal(expected, PairedProportions.Difference(sample).StandardError, 12);
    }

    [Fact]
    public void Clustering_correlated_episodes_widens_the_interval()
    {
        // Two episodes per seed with identical outcomes: clustering by seed must widen the interval by √2.
        var sample = TestData.BinaryTable(both: 20, onlyA: 4, onlyB: 12, neither: 14);
        var doubled = PairedSample.FromAligned(sample.A.SelectMany(x => new[] { x, x }).ToArray(), sample.B.SelectMany(x => new[] { x, x }).ToArray());
        string[] seeds = Enumerable.Range(0, doubled.Count).Select(i => $"seed{i / 2}").ToArray();
        var independent = PairedProportions.Difference(doubled);
        var clustered = PairedProportions.Difference(doubled, seeds);
        Assert.Equal(Math.Sqrt(2) * independent.StandardError, clustered.StandardError, 12);
    }
}

public class PairedProportionBoundsTests
{
    [Fact]
    public void The_interval_of_a_difference_of_proportions_stays_within_minus_one_and_one()
    {
        // 19 of 20 episodes flip from 1 to 0, one stays 1: the Wald interval would reach below −1.
        var a = Enumerable.Repeat(1.0, 20).ToArray();
        var b = Enumerable.Repeat(0.0, 19).Append(1.0).ToArray();
        var estimate = Workbench.Evals.Statistics.PairedProportions.Difference(Workbench.Evals.Statistics.PairedSample.FromAligned(a, b));
        Assert.Equal(-0.95, estimate.Mean, 10);
        Assert.True(estimate.Low >= -1, $"low {estimate.Low}");
        Assert.True(estimate.High <= 1);
    }
}
