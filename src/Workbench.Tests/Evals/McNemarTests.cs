using Workbench.Evals.Statistics;

namespace Workbench.Tests.Evals;

public class McNemarTests
{
    [Fact]
    public void Exact_p_for_b1_c9_is_twice_the_binomial_tail()
    {
        // 2·P(X ≤ 1 | n = 10, ½) = 2·(1 + 10)/1024 = 0.021484375
        Assert.Equal(22.0 / 1024, McNemar.ExactPValue(1, 9), 12);
        Assert.Equal(McNemar.ExactPValue(1, 9), McNemar.ExactPValue(9, 1), 15);
    }

    // Fagerland, Lydersen & Laake (2013), "The McNemar test for binary matched-pairs data: mid-p and asymptotic
    // are better than exact conditional", BMC Med Res Methodol 13:91, airway hyper-responsiveness example
    // (b = 1, c = 7): exact conditional p = 0.070.
    [Fact]
    public void Matches_Fagerland_2013_airway_example() => Assert.Equal(0.070, Math.Round(McNemar.ExactPValue(1, 7), 3));

    // Agresti (2002), Categorical Data Analysis, §10.1: presidential approval in two surveys of the same 1600
    // people, discordant cells 150 and 86 (z = −4.17): the exact test agrees that the change is significant.
    [Fact]
    public void Exact_p_agrees_with_Agresti_presidential_approval() => Assert.True(McNemar.ExactPValue(86, 150) < 0.0001);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, 5)]
    public void Balanced_or_no_discordant_pairs_give_p_of_one(int b, int c)
        => Assert.Equal(1.0, McNemar.ExactPValue(b, c));

    [Fact]
    public void Count_reads_the_two_by_two_table()
    {
        var sample = TestData.BinaryTable(both: 3, onlyA: 2, onlyB: 5, neither: 4);
        Assert.Equal(new DiscordantPairs(2, 5, 3, 4), McNemar.Count(sample));
    }

    [Fact]
    public void Count_rejects_values_that_are_not_zero_or_one()
    {
        var sample = PairedSample.FromAligned([1, 0.5], [0, 1]);
        var error = Assert.Throws<ArgumentException>(() => McNemar.Count(sample));
        Assert.Contains("0.5", error.Message);
    }
}
