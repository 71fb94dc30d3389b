using Workbench.Evals.Comparison;
using Workbench.Evals.Records;
using Workbench.Evals.Scoring;
using Workbench.Evals.Statistics;
using Workbench.Evals.Suites;

namespace Workbench.Evals.Gates;

/// <summary>
/// Turns a suite's declared gates into <see cref="IGate"/>s per task and evaluates them on a run: absolute thresholds
/// read each task's estimate (<see cref="SuiteSummary"/>); no-significant-drop gates read the paired comparison with a
/// baseline run on the same episodes (Holm across the gated metrics and tasks). Metrics are named "task/metric".
/// A metric without an estimate (n/a) or without a comparison fails its gate. Relative gates are only built when a
/// baseline is given.
/// </summary>
public static class SuiteGates
{
    public static IReadOnlyList<GateResult> Evaluate(SuiteConfig suite, SuiteSummary summary, IReadOnlyList<EpisodeRecord>? candidate = null,
        IReadOnlyList<EpisodeRecord>? baseline = null, string baselineName = "baseline", ComparisonOptions? options = null)
    {
        var gates = new List<IGate>();
        var absolute = new List<AbsoluteMetric>();
        foreach (var gate in suite.Gates.Absolute)
        {
            var op = gate.Max != null ? ThresholdOperator.AtMost : ThresholdOperator.AtLeast;
            double threshold = gate.Max ?? gate.Min!.Value;
            foreach (var task in TasksWith(suite, gate.Metric).Where(t => gate.Task == null || t.Name == gate.Task))
            {
                string name = $"{task.Name}/{gate.Metric}";
                gates.Add(new AbsoluteGate(FormattableString.Invariant($"{name} {op.Symbol()} {threshold}"), name, op, threshold));
                if (summary.Find(task.Name, gate.Metric) is { Value: { } value } e)
                    absolute.Add(new AbsoluteMetric(name, value, e.Low is { } lo && e.High is { } hi ? new ConfidenceInterval(value, lo, hi) : null, e.Count));
            }
        }

        var comparisons = new List<MetricComparison>();
        if (suite.Gates.NoSignificantDrop.Count > 0 && baseline != null)
        {
            ArgumentNullException.ThrowIfNull(candidate);
            foreach (string metric in suite.Gates.NoSignificantDrop)
                foreach (var task in TasksWith(suite, metric))
                    gates.Add(new RelativeGate($"{task.Name}/{metric}: no significant drop vs {baselineName}", $"{task.Name}/{metric}"));
            var report = EpisodeComparison.Compare(suite, baseline, candidate, baselineName, summary.Policy, suite.Gates.NoSignificantDrop, options);
            comparisons.AddRange(report.Compared.Select(r => r.Result! with { Metric = $"{r.Task}/{r.Metric}" }));
        }
        return GateEvaluator.Evaluate(gates, new GateInputs(absolute, comparisons));
    }

    private static IEnumerable<TaskConfig> TasksWith(SuiteConfig suite, string metric) =>
        suite.Tasks.Where(t => ScorerRegistry.MetricsOf(t.Scorers).Any(m => m.Name == metric));
}
