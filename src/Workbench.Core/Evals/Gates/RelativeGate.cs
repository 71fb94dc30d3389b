using Workbench.Evals.Statistics;

namespace Workbench.Evals.Gates;

/// <summary>
/// No significant regression against the baseline: fails exactly when the paired comparison's verdict is
/// <see cref="Verdict.Worse"/>, i.e. the Holm-adjusted p-value is ≤ α and the difference points the bad way
/// for the metric's direction. Non-significant drops pass, and the message shows them with their interval.
/// </summary>
public sealed record RelativeGate(string Name, string Metric) : IGate
{
    public static RelativeGate NoSignificantDrop(string metric) => new($"{metric}: no significant regression", metric);

    public GateResult Evaluate(GateInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var c = inputs.FindComparison(Metric);
        if (c is null) return new GateResult(Name, false, $"metric '{Metric}' was not compared with the baseline");

        string numbers = FormattableString.Invariant(
            $"{c.ValueA:0.####} → {c.ValueB:0.####}, Δ = {c.Difference:+0.####;-0.####;0} [{c.Low:0.####}, {c.High:0.####}], p = {Statistics.PValueText.Format(c.PValue)}, Holm-adjusted p = {Statistics.PValueText.Format(c.AdjustedP)} ({c.Test})");
        string verdict = c.Verdict switch
        {
            Verdict.Worse => "significantly worse",
            Verdict.Better => "significantly better",
            _ => "no significant change",
        };
        return new GateResult(Name, c.Verdict != Verdict.Worse, $"{verdict}: {numbers}");
    }
}
