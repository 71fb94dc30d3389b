using Workbench.Evals.Statistics;

namespace Workbench.Tests.Evals;

public class VerdictTests
{
    [Theory]
    [InlineData(0.1, 0.01, MetricDirection.HigherIsBetter, Verdict.Better)]
    [InlineData(-0.1, 0.01, MetricDirection.HigherIsBetter, Verdict.Worse)]
    [InlineData(0.1, 0.01, MetricDirection.LowerIsBetter, Verdict.Worse)]
    [InlineData(-0.1, 0.01, MetricDirection.LowerIsBetter, Verdict.Better)]
    [InlineData(0.1, 0.2, MetricDirection.HigherIsBetter, Verdict.NoSignificantChange)]
    [InlineData(0.1, 0.05, MetricDirection.HigherIsBetter, Verdict.Better)] // p ≤ α rejects, as Holm's procedure
    [InlineData(0.0, 0.0, MetricDirection.HigherIsBetter, Verdict.NoSignificantChange)]
    public void Decide_reads_direction_and_alpha(double difference, double p, MetricDirection direction, Verdict expected)
        => Assert.Equal(expected, Verdicts.Decide(difference, p, direction, 0.05));
}
