using System.Globalization;
using Workbench.Evals.Comparison;
using Workbench.Evals.Records;
using Workbench.Evals.Scoring;
using Workbench.Evals.Statistics;
using Workbench.Evals.Suites;

namespace Workbench.Evals.Gates;

/// <summary>One gate checked on one task, with the numbers that decided it.</summary>
public sealed record GateResult(string Gate, string Task, bool Passed, string Detail)
{
    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")}  {Gate} on {Task}: {Detail}";
}

/// <summary>
/// Checks a suite's gates: absolute thresholds on each task's estimate (or its interval bound), and
/// "no significant drop" against a baseline run on the same episodes (paired test, Holm-corrected across the gated
/// metrics and tasks). A gate whose metric has no estimate fails: a missing grade never passes. Relative gates are
/// checked only when a baseline is given.
/// </summary>
public static class GateEvaluator
{
    public static IReadOnlyList<GateResult> Evaluate(SuiteConfig suite, SuiteSummary summary, IReadOnlyList<EpisodeRecord>? candidate = null,
        IReadOnlyList<EpisodeRecord>? baseline = null, string baselineName = "baseline", ComparisonOptions? options = null)
    {
        var results = new List<GateResult>();
        foreach (var gate in suite.Gates.Absolute)
        {
            string name = Describe(gate);
            var tasks = suite.Tasks.Where(t => gate.Task == null || t.Name == gate.Task)
                .Where(t => ScorerRegistry.MetricsOf(t.Scorers).Any(m => m.Name == gate.Metric)).ToList();
            foreach (var task in tasks)
            {
                var estimate = summary.Find(task.Name, gate.Metric);
                double? value = estimate is null ? null : gate.Use switch
                {
                    GateBound.UpperBound => estimate.High ?? estimate.Value,
                    GateBound.LowerBound => estimate.Low ?? estimate.Value,
                    _ => estimate.Value,
                };
                if (value is not { } v)
                {
                    results.Add(new GateResult(name, task.Name, false, $"no value to check ({estimate?.Format() ?? "task not run"})"));
                    continue;
                }
                bool passed = gate.Max is { } max ? v <= max : v >= gate.Min!.Value;
                string what = gate.Use == GateBound.Estimate ? "estimate" : gate.Use == GateBound.UpperBound ? "upper 95% bound" : "lower 95% bound";
                results.Add(new GateResult(name, task.Name, passed,
                    FormattableString.Invariant($"{what} {v:0.####} (estimate {estimate!.Format()}, n = {estimate.Count})")));
            }
        }

        // Relative gates need a baseline run on the same episodes; without one they are not checked (the CLI says so).
        if (suite.Gates.NoSignificantDrop.Count > 0 && baseline != null)
        {
            if (candidate is null) throw new ArgumentNullException(nameof(candidate), "the candidate's records are needed for relative gates");
            var report = EpisodeComparison.Compare(suite, baseline, candidate, baselineName, summary.Policy, suite.Gates.NoSignificantDrop, options);
            foreach (var row in report.Rows)
            {
                string name = $"no_significant_drop({row.Metric}) vs {baselineName}";
                if (row.Result is not { } c)
                {
                    results.Add(new GateResult(name, row.Task, false, $"could not compare: {row.Note}"));
                    continue;
                }
                results.Add(new GateResult(name, row.Task, c.Verdict != Verdict.Worse, FormattableString.Invariant(
                    $"{c.ValueA:0.####} → {c.ValueB:0.####}, Δ = {c.Difference:+0.####;-0.####;0} [{c.Low:0.####}, {c.High:0.####}], p (Holm) = {c.AdjustedP:0.####}, {ComparisonReport.VerdictText(c.Verdict)}")));
            }
        }
        return results;
    }

    private static string Describe(AbsoluteGateConfig gate) =>
        gate.Max is { } max
            ? string.Create(CultureInfo.InvariantCulture, $"{gate.Metric} <= {max}")
            : string.Create(CultureInfo.InvariantCulture, $"{gate.Metric} >= {gate.Min}");
}
