namespace Workbench.Evals.Statistics;

/// <summary>
/// Result of comparing candidate B with baseline A on one metric. Difference = ValueB − ValueA with its
/// [Low, High] interval; PValue is the raw p of <see cref="Test"/>, AdjustedP after Holm across the metrics
/// compared together; Verdict reads AdjustedP and the metric's direction. <see cref="Method"/> names the test in a
/// word or two ("exact McNemar", "clustered z", "paired bootstrap") for tables; <see cref="Test"/> gives it in full.
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
    string Test,
    string Method = "")
{
    public override string ToString() => FormattableString.Invariant(
        $"{Metric}: {ValueA:0.####} → {ValueB:0.####}, Δ = {Difference:+0.####;-0.####;0} [{Low:0.####}, {High:0.####}], p = {PValueText.Format(PValue)} (Holm {PValueText.Format(AdjustedP)}), {Verdict} — {Test}");
}

/// <summary>How p-values are printed: four decimals, and "&lt;0.0001" instead of a misleading 0.</summary>
public static class PValueText
{
    public static string Format(double p) =>
        p < 0.0001 ? "<0.0001" : p.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
}
