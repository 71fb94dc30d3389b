using System.Globalization;
using Workbench.Evals.Statistics;

namespace Workbench.Reporting;

/// <summary>
/// The one line at the top of a report: did anything get worse or a gate fail, and which. A comparison's verdict is the
/// statistics stage's <see cref="Verdict"/> (words: <see cref="Verdicts.Text"/>); a report is <see cref="ReportStatus.Regressed"/>
/// when any comparison is <see cref="Verdict.Worse"/> or any gate failed.
/// </summary>
public static class ReportVerdict
{
    public static ReportStatus StatusOf(ReportInputs inputs) =>
        inputs.Gates.Any(g => !g.Passed) || inputs.Comparisons.Any(c => c.Verdict == Verdict.Worse) ? ReportStatus.Regressed : ReportStatus.Pass;

    public static string Line(ReportInputs inputs)
    {
        var worse = inputs.Comparisons.Where(c => c.Verdict == Verdict.Worse).ToList();
        var failed = inputs.Gates.Where(g => !g.Passed).ToList();
        int better = inputs.Comparisons.Count(c => c.Verdict == Verdict.Better);
        if (worse.Count == 0 && failed.Count == 0)
        {
            string gates = inputs.Gates.Count > 0 ? $"all {inputs.Gates.Count} gates passed" : "no gates";
            return $"PASS: nothing worse in {inputs.Comparisons.Count} comparisons ({better} better), {gates}.";
        }
        var parts = new List<string>();
        if (worse.Count > 0)
            parts.Add($"{Plural(worse.Count, "comparison")} worse (" + string.Join("; ", worse.Take(3).Select(Describe))
                      + (worse.Count > 3 ? $"; +{worse.Count - 3} more" : "") + ")");
        if (failed.Count > 0)
            parts.Add($"{Plural(failed.Count, "failed gate")} (" + string.Join("; ", failed.Take(3).Select(g => g.Name))
                      + (failed.Count > 3 ? $"; +{failed.Count - 3} more" : "") + ")");
        return "REGRESSED: " + string.Join(", ", parts) + ".";
    }

    public static string Describe(ComparisonRow c) =>
        $"{c.Suite}/{c.Task} {c.Metric} {Format.DeltaWithInterval(c.Difference, c.Low, c.High, c.Unit)}, p_adj={Format.P(c.AdjustedP)}";

    private static string Plural(int n, string word) => n.ToString(CultureInfo.InvariantCulture) + " " + word + (n == 1 ? "" : "s");
}
