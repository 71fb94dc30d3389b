using System.Globalization;
using Workbench.Evals.Scoring;

namespace Workbench.Reporting;

/// <summary>Number formatting shared by the HTML and Markdown writers (invariant culture), by the metric's declared unit.</summary>
public static class Format
{
    public static string Value(double value, string unit) => unit switch
    {
        Units.Proportion => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%",
        Units.Milliseconds => Number(value, "0.##") + " ms",
        Units.Parameters or Units.Flops => Si(value) + " " + unit,
        Units.None => Number(value, "0.###"),
        _ => Number(value, "0.###") + " " + unit,
    };

    /// <summary>A difference: proportions in percentage points, signed.</summary>
    public static string Delta(double value, string unit) => Sign(value) + Bare(Math.Abs(value), unit) + (unit == Units.Proportion ? " pts" : Suffix(unit));

    /// <summary>"+39.5 pts [+32.3, +46.7]": the difference with its interval, the unit said once.</summary>
    public static string DeltaWithInterval(double value, double low, double high, string unit) =>
        $"{Delta(value, unit)} [{Sign(low)}{Bare(Math.Abs(low), unit)}, {Sign(high)}{Bare(Math.Abs(high), unit)}]";

    public static string Interval(double low, double high, string unit) => $"[{Value(low, unit)}, {Value(high, unit)}]";

    public static string P(double p) =>
        double.IsNaN(p) ? "–" : p < 0.001 ? "<0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h {t.Minutes:00}m" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m {t.Seconds:00}s" : $"{t.TotalSeconds:0.0}s";

    private static string Sign(double value) => value > 0 ? "+" : value < 0 ? "−" : "±";

    // The magnitude without its unit: percentage points for proportions.
    private static string Bare(double abs, string unit) => unit switch
    {
        Units.Proportion => (abs * 100).ToString("0.0", CultureInfo.InvariantCulture),
        Units.Milliseconds => Number(abs, "0.##"),
        Units.Parameters or Units.Flops => Si(abs),
        _ => Number(abs, "0.###"),
    };

    private static string Suffix(string unit) => unit.Length == 0 ? "" : " " + unit;

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    // 1234567 → "1.23M": counts of parameters and FLOPs are read by their order of magnitude.
    private static string Si(double value)
    {
        double abs = Math.Abs(value);
        return abs >= 1e9 ? Number(value / 1e9, "0.##") + "G"
            : abs >= 1e6 ? Number(value / 1e6, "0.##") + "M"
            : abs >= 1e3 ? Number(value / 1e3, "0.##") + "k"
            : Number(value, "0.##");
    }
}
