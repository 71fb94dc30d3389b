using Workbench.Evals.Statistics;

namespace Workbench.Tests.Evals;

public class HolmTests
{
    // Wikipedia, "Holm–Bonferroni method", worked example: p = (0.01, 0.04, 0.03, 0.005), α = 0.05 →
    // adjusted (0.03, 0.06, 0.06, 0.02); H1 and H4 are rejected.
    [Fact]
    public void Adjust_matches_the_Wikipedia_worked_example()
    {
        double[] adjusted = Holm.Adjust([0.01, 0.04, 0.03, 0.005]);
        Assert.Equal(new[] { 0.03, 0.06, 0.06, 0.02 }, adjusted.Select(p => Math.Round(p, 10)));
        Assert.Equal(new[] { true, false, false, true }, adjusted.Select(p => p <= 0.05));
    }

    [Fact]
    public void Adjusted_values_are_monotone_in_the_raw_values_and_capped_at_one()
    {
        // R: p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "holm") = 0.05 0.08 0.09 0.09 0.09
        Assert.Equal(new[] { 0.05, 0.08, 0.09, 0.09, 0.09 }, Holm.Adjust([0.01, 0.02, 0.03, 0.04, 0.05]).Select(p => Math.Round(p, 10)));
        Assert.Equal(new[] { 1.0, 1.0, 1.0 }, Holm.Adjust([0.6, 0.5, 0.9]));
    }

    [Fact]
    public void A_single_p_value_is_unchanged_and_an_empty_list_is_empty()
    {
        Assert.Equal(new[] { 0.03 }, Holm.Adjust([0.03]));
        Assert.Empty(Holm.Adjust([]));
    }

    [Fact]
    public void Rejects_values_that_are_not_probabilities()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Holm.Adjust([0.1, 1.5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Holm.Adjust([double.NaN]));
    }
}
