using System.Globalization;

namespace Workbench.Reporting;

/// <summary>The one line at the top of a report: did anything regress or fail, and which.</summary>
public static class Verdicts
{
    public static ReportStatus StatusOf(ReportModel model) =>
        model.Gates.Any(g => !g.Passed) || model.Comparisons.Any(c => c.Verdict == ComparisonVerdict.Regressed)
            ? ReportStatus.Regressed : ReportStatus.Pass;

    public static string Line(ReportModel model)
    {
        var regressions = model.Comparisons.Where(c => c.Verdict == ComparisonVerdict.Regressed).ToList();
        var failed = model.Gates.Where(g => !g.Passed).ToList();
        int improved = model.Comparisons.Count(c => c.Verdict == ComparisonVerdict.Improved);
        if (regressions.Count == 0 && failed.Count == 0)
        {
            string gates = model.Gates.Count > 0 ? $"all {model.Gates.Count} gates passed" : "no gates";
            return $"PASS: no regressions in {model.Comparisons.Count} comparisons ({improved} improved), {gates}.";
        }
        var parts = new List<string>();
        if (regressions.Count > 0)
            parts.Add($"{Plural(regressions.Count, "regression")} (" + string.Join("; ", regressions.Take(3).Select(Describe))
                      + (regressions.Count > 3 ? $"; +{regressions.Count - 3} more" : "") + ")");
        if (failed.Count > 0)
            parts.Add($"{Plural(failed.Count, "failed gate")} (" + string.Join("; ", failed.Take(3).Select(g => g.Name))
                      + (failed.Count > 3 ? $"; +{failed.Count - 3} more" : "") + ")");
        return "REGRESSED: " + string.Join(", ", parts) + ".";
    }

    public static string Describe(ComparisonRow c) =>
        $"{c.Suite}/{c.Task} {c.Metric} {Format.Delta(c.Difference, c.Unit)} [{Format.Delta(c.Low, c.Unit)}, {Format.Delta(c.High, c.Unit)}], p_adj={Format.P(c.AdjustedP)}";

    private static string Plural(int n, string word) => n.ToString(CultureInfo.InvariantCulture) + " " + word + (n == 1 ? "" : "s");
}

/// <summary>Number formatting shared by the HTML and Markdown writers (invariant culture).</summary>
public static class Format
{
    public static string Value(double value, string unit) => unit switch
    {
        Units.Proportion => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%",
        Units.Milliseconds => value.ToString("0.#", CultureInfo.InvariantCulture) + " ms",
        "" => value.ToString("0.###", CultureInfo.InvariantCulture),
        _ => value.ToString("0.###", CultureInfo.InvariantCulture) + " " + unit,
    };

    /// <summary>A difference: proportions in percentage points, signed.</summary>
    public static string Delta(double value, string unit)
    {
        string sign = value > 0 ? "+" : value < 0 ? "−" : "±";
        double abs = Math.Abs(value);
        return unit switch
        {
            Units.Proportion => sign + (abs * 100).ToString("0.0", CultureInfo.InvariantCulture) + " pts",
            Units.Milliseconds => sign + abs.ToString("0.#", CultureInfo.InvariantCulture) + " ms",
            "" => sign + abs.ToString("0.###", CultureInfo.InvariantCulture),
            _ => sign + abs.ToString("0.###", CultureInfo.InvariantCulture) + " " + unit,
        };
    }

    public static string Interval(double low, double high, string unit) => $"[{Value(low, unit)}, {Value(high, unit)}]";

    public static string P(double p) =>
        double.IsNaN(p) ? "–" : p < 0.001 ? "<0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h {t.Minutes:00}m" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m {t.Seconds:00}s" : $"{t.TotalSeconds:0.0}s";
}
