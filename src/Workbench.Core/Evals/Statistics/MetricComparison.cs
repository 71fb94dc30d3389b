namespace Workbench.Evals.Statistics;

/// <summary>
/// Result of comparing candidate B with baseline A on one metric. Difference = ValueB − ValueA with its
/// [Low, High] interval; PValue is the raw p of <see cref="Test"/>, AdjustedP after Holm across the metrics
/// compared together; Verdict reads AdjustedP and the metric's direction.
/// </summary>
public sealed record MetricComparison(
    string Metric,
    double ValueA,
    double ValueB,
    double Difference,
    double Low,
    double High,
    double PValue,
    double AdjustedP,
    Verdict Verdict,
    string Test)
{
    public override string ToString() => FormattableString.Invariant(
        $"{Metric}: {ValueA:0.####} → {ValueB:0.####}, Δ = {Difference:+0.####;-0.####;0} [{Low:0.####}, {High:0.####}], p = {PValue:0.####} (Holm {AdjustedP:0.####}), {Verdict} — {Test}");
}
