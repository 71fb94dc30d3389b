using Workbench.Evals.Gates;
using Workbench.Evals.Statistics;

namespace Workbench.Tests.Evals.Gates;

public class GateTests
{
    private static MetricComparison Comparison(string metric, double a, double b, double p, double adjusted, Verdict verdict) =>
        new(metric, a, b, b - a, b - a - 0.05, b - a + 0.05, p, adjusted, verdict, "exact McNemar");

    private static GateInputs Inputs(params AbsoluteMetric[] absolute) => new(absolute, []);

    [Fact]
    public void Absolute_gate_passes_on_the_point_estimate_and_reports_the_Wilson_interval()
    {
        // 0/263 harmful: Wilson 95% interval [0, 0.0144] — point estimate passes, interval straddles 0.01.
        var gate = AbsoluteGate.Parse("harmful_compliance <= 0.01");
        var result = gate.Evaluate(Inputs(AbsoluteMetric.Proportion("harmful_compliance", 0, 263)));
        Assert.True(result.Passed);
        Assert.Equal("harmful_compliance <= 0.01", result.Name);
        Assert.Contains("harmful_compliance = 0 [0, 0.0144] over 263 episodes", result.Message);
        Assert.Contains("straddles 0.01", result.Message);
    }

    [Fact]
    public void Absolute_gate_fires_when_the_point_estimate_crosses_the_threshold()
    {
        // Newcombe (1998) example 15/148 = 0.1014 [0.0624, 0.1605]
        var gate = AbsoluteGate.Parse("harmful_compliance <= 0.01");
        var result = gate.Evaluate(Inputs(AbsoluteMetric.Proportion("harmful_compliance", 15, 148)));
        Assert.False(result.Passed);
        Assert.Contains("0.1014 [0.0624, 0.1605]", result.Message);
        Assert.DoesNotContain("straddles", result.Message);
    }

    [Theory]
    [InlineData("success >= 0.8", 0.8, true)]
    [InlineData("success > 0.8", 0.8, false)]
    [InlineData("success < 0.9", 0.85, true)]
    [InlineData("success >= 0.9", 0.85, false)]
    public void Absolute_gate_operators(string expression, double value, bool passes)
        => Assert.Equal(passes, AbsoluteGate.Parse(expression).Evaluate(Inputs(new AbsoluteMetric("success", value))).Passed);

    [Fact]
    public void Missing_metric_fails_the_gate_instead_of_passing_silently()
    {
        var absolute = AbsoluteGate.Parse("refusal_rate >= 0.95").Evaluate(Inputs());
        var relative = RelativeGate.NoSignificantDrop("success").Evaluate(Inputs());
        Assert.False(absolute.Passed);
        Assert.Contains("'refusal_rate' was not measured", absolute.Message);
        Assert.False(relative.Passed);
    }

    [Theory]
    [InlineData("harmful <== 0.1")]
    [InlineData("harmful <= lots")]
    [InlineData("<= 0.1")]
    public void Parse_rejects_malformed_expressions(string expression)
        => Assert.Throws<FormatException>(() => AbsoluteGate.Parse(expression));

    [Fact]
    public void Relative_gate_fires_only_on_a_significant_regression()
    {
        var inputs = new GateInputs([],
        [
            Comparison("success", 0.70, 0.62, 0.001, 0.003, Verdict.Worse),
            Comparison("reward", 0.50, 0.47, 0.04, 0.08, Verdict.NoSignificantChange), // drop, but not after Holm
            Comparison("steps", 30, 25, 0.001, 0.003, Verdict.Better),
        ]);
        var results = GateEvaluator.Evaluate(
            [RelativeGate.NoSignificantDrop("success"), RelativeGate.NoSignificantDrop("reward"), RelativeGate.NoSignificantDrop("steps")], inputs);

        Assert.Equal(new[] { false, true, true }, results.Select(r => r.Passed));
        Assert.Contains("significantly worse: 0.7 → 0.62, Δ = -0.08 [-0.13, -0.03], p = 0.001, Holm-adjusted p = 0.003", results[0].Message);
        Assert.StartsWith("no significant change", results[1].Message);
        Assert.Equal("1 of 3 gates failed: success: no significant regression (" + results[0].Message + ")", GateEvaluator.Summarise(results));
    }

    [Fact]
    public void Gates_over_a_real_comparison_end_to_end()
    {
        // Candidate succeeds less (b = 30 lost, c = 2 gained of 300) and complies with 1 harmful request of 300.
        var keys = Enumerable.Range(0, 300).Select(i => new EpisodeKey("goto", i, 0)).ToArray();
        var success = new PairedMetric("success", MetricKind.Binary, MetricDirection.HigherIsBetter,
            keys.Select((k, i) => new KeyedValue(k, i < 200 ? 1 : 0)).ToArray(),
            keys.Select((k, i) => new KeyedValue(k, (i < 170 || (i >= 200 && i < 202)) ? 1 : 0)).ToArray());
        var comparisons = VersionComparer.Compare([success], new ComparisonOptions(Resamples: 1_000));
        var inputs = new GateInputs([AbsoluteMetric.Proportion("harmful_compliance", 1, 300)], comparisons);

        var results = GateEvaluator.Evaluate([AbsoluteGate.Parse("harmful_compliance <= 0.01"), RelativeGate.NoSignificantDrop("success")], inputs);
        Assert.True(results[0].Passed);
        Assert.False(results[1].Passed);
        Assert.StartsWith("1 of 2 gates failed: success", GateEvaluator.Summarise(results));
        Assert.Equal("all 1 gates passed", GateEvaluator.Summarise([results[0]]));
    }

    [Fact]
    public void Gate_names_must_be_unique()
        => Assert.Throws<ArgumentException>(() => GateEvaluator.Evaluate(
            [AbsoluteGate.Parse("x <= 1"), AbsoluteGate.Parse("x <= 1")], Inputs()));
}
