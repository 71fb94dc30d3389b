using System.Globalization;
using System.Text;
using MathNet.Numerics.Statistics;
using Workbench.Evals.Policies;
using Workbench.Evals.Records;
using Workbench.Evals.Statistics;
using Workbench.Evals.Suites;
using Workbench.Rollouts;
using Workbench.Runtime;

namespace Workbench.Evals.Scoring;

/// <summary>
/// One metric of one task: the estimate and, for means, its interval. <see cref="Value"/> is null ("n/a") only when
/// nothing can be estimated for a legitimate reason (<see cref="Note"/> says which) — never for a missing grade.
/// </summary>
public sealed record MetricEstimate(
    string Task,
    string Metric,
    double? Value,
    double? Low,
    double? High,
    int Count,
    int Clusters,
    string Method,
    MetricInfo Info,
    string Note = "")
{
    public string Format() => Value is not { } v ? "n/a" + (Note.Length > 0 ? $" ({Note})" : "")
        : Low is { } lo && High is { } hi ? FormattableString.Invariant($"{v:0.###} [{lo:0.###}, {hi:0.###}]")
        : FormattableString.Invariant($"{v:0.###}");
}

/// <summary>
/// Confusion counts of one task: <c>Counts[r][c]</c> episodes whose target was <see cref="Rows"/>[r] and that ended at
/// <see cref="Columns"/>[c]. FashionGrid: rows = class named by the mission, columns = class of the picture reached, then "none".
/// </summary>
public sealed record ConfusionMatrix(string Task, IReadOnlyList<string> Rows, IReadOnlyList<string> Columns, int[][] Counts)
{
    public const string RowAxis = "class named", ColumnAxis = "class reached";

    public string Format()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"confusion of {Task} (rows: {RowAxis}, columns: {ColumnAxis})");
        sb.Append("".PadRight(12));
        foreach (string n in Columns) sb.Append(Short(n).PadLeft(8));
        sb.AppendLine();
        for (int t = 0; t < Counts.Length; t++)
        {
            if (Counts[t].Sum() == 0) continue;
            sb.Append(Short(Rows[t]).PadRight(12));
            foreach (int c in Counts[t]) sb.Append(c.ToString(CultureInfo.InvariantCulture).PadLeft(8));
            sb.AppendLine();
        }
        return sb.ToString();
    }

    private static string Short(string s) => s.Length <= 7 ? s : s[..7];
}

/// <summary>Per task and metric estimates with intervals: Wilson for rates, bootstrap for means, clustered SE by seed
/// where episodes share a seed (Miller 2024). <see cref="Provenance"/>: what produced the records (null for none).</summary>
public sealed record SuiteSummary(string Suite, int SuiteVersion, string Policy, IReadOnlyList<MetricEstimate> Estimates, IReadOnlyList<ConfusionMatrix> Confusions)
{
    public const int Resamples = 2000;

    public Provenance? Provenance { get; init; }

    /// <summary>Train vs held-out rows (<see cref="FamilyGaps"/>); empty unless the suite has tasks on both sides.</summary>
    public IReadOnlyList<FamilyGap> Gaps { get; init; } = [];

    public MetricEstimate? Find(string task, string metric) => Estimates.FirstOrDefault(e => e.Task == task && e.Metric == metric);

    /// <summary>Grades every record with its task's scorers and estimates each metric.</summary>
    /// <exception cref="MissingGradeException">a record lacks a grade a declared metric needs.</exception>
    public static SuiteSummary Build(SuiteConfig suite, IReadOnlyList<EpisodeRecord> records, string policy, IModelInfo? modelInfo = null)
    {
        var estimates = new List<MetricEstimate>();
        var confusions = new List<ConfusionMatrix>();
        foreach (var task in suite.Tasks)
        {
            var taskRecords = records.Where(r => r.Task == task.Name).ToList();
            if (taskRecords.Count == 0) continue;
            var scorers = task.Scorers.Select(ScorerRegistry.Get).ToList();
            foreach (var metric in scorers.SelectMany(s => s.Metrics))
                estimates.Add(Estimate(task.Name, metric, taskRecords, modelInfo));
            if (scorers.Any(s => s.NeedsFashionClasses))
                confusions.Add(Confusion(task.Name, taskRecords));
        }
        return new SuiteSummary(suite.Name, suite.Version, policy, estimates, confusions)
        {
            Provenance = records.Count > 0 ? records[0].Provenance : null,
            Gaps = FamilyGaps.Build(suite, records),
        };
    }

    public static MetricEstimate Estimate(string task, MetricDefinition metric, IReadOnlyList<EpisodeRecord> records, IModelInfo? modelInfo)
    {
        if (metric.Summary == MetricSummary.ModelProperty)
        {
            double? v = modelInfo is null ? null : metric.ModelValue?.Invoke(modelInfo);
            return new MetricEstimate(task, metric.Name, v, null, null, 0, 0, "model info", metric.Info,
                v is null ? "the policy does not report it (IModelInfo)" : "");
        }
        var graded = records.Select(r => (Record: r, Grade: metric.Grade(r))).Where(x => x.Grade != null)
            .Select(x => (x.Record, Grade: x.Grade!.Value)).ToList();
        int n = graded.Count;
        if (n == 0) return new MetricEstimate(task, metric.Name, null, null, null, 0, 0, "-", metric.Info, "no episode is graded on it");
        var values = graded.Select(g => g.Grade).ToArray();
        var clusterIds = graded.Select(g => g.Record.Seed.ToString(CultureInfo.InvariantCulture)).ToArray();
        int clusters = clusterIds.Distinct().Count();
        switch (metric.Summary)
        {
            case MetricSummary.Median:
                return new MetricEstimate(task, metric.Name, values.Median(), null, null, n, clusters, "median", metric.Info);
            case MetricSummary.P95:
                return new MetricEstimate(task, metric.Name, MathNet.Numerics.Statistics.Statistics.Quantile(values, 0.95), null, null, n, clusters, "95th percentile", metric.Info);
            case MetricSummary.Throughput:
                double seconds = values.Sum();
                return new MetricEstimate(task, metric.Name, seconds > 0 ? n / seconds : null, null, null, n, clusters, "episodes / Σ wall time", metric.Info,
                    seconds > 0 ? "" : "no wall time recorded");
        }
        if (clusters < n)
        {
            var c = ClusteredMean.Estimate(values, clusterIds);
            return new MetricEstimate(task, metric.Name, c.Mean, Clamp(metric, c.Low), Clamp(metric, c.High), n, clusters, "clustered SE by seed", metric.Info);
        }
        if (metric.Kind == MetricKind.Binary)
        {
            var w = Wilson.Interval((int)values.Sum(), n);
            return new MetricEstimate(task, metric.Name, w.Estimate, w.Low, w.High, n, clusters, "Wilson", metric.Info);
        }
        var b = Bootstrap.MeanInterval(values, Resamples, seed: StableHash.Of(task + "/" + metric.Name));
        return new MetricEstimate(task, metric.Name, b.Estimate, b.Low, b.High, n, clusters, "bootstrap", metric.Info);
    }

    private static double Clamp(MetricDefinition metric, double x) => metric.Kind == MetricKind.Binary ? Math.Clamp(x, 0, 1) : x;

    private static ConfusionMatrix Confusion(string task, IReadOnlyList<EpisodeRecord> records)
    {
        int k = Envs.FashionMnist.ClassCount;
        var counts = Enumerable.Range(0, k).Select(_ => new int[k + 1]).ToArray();
        foreach (var r in records)
        {
            if (r.TargetClass is not { } t || r.ReachedClass is not { } c || t < 0 || t >= k || c < -1 || c >= k)
                throw new MissingGradeException(r.Task, r.Seed, r.Episode, "confusion", "target_class/reached_class missing or out of range");
            counts[t][c < 0 ? k : c]++;
        }
        return new ConfusionMatrix(task, Envs.FashionMnist.MissionNames.ToArray(), [.. Envs.FashionMnist.MissionNames, "none"], counts);
    }

    public string Format()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"suite {Suite} v{SuiteVersion}, policy {Policy}");
        int tw = Math.Max(4, Estimates.Max(e => e.Task.Length)), mw = Math.Max(6, Estimates.Max(e => e.Metric.Length));
        sb.AppendLine($"{"task".PadRight(tw)}  {"metric".PadRight(mw)}  {"estimate [95% CI]",-26} {"n",5}  method");
        foreach (var e in Estimates)
            sb.AppendLine($"{e.Task.PadRight(tw)}  {e.Metric.PadRight(mw)}  {e.Format(),-26} {e.Count,5}  {e.Method}");
        foreach (var c in Confusions) sb.Append(c.Format());
        sb.Append(FamilyGaps.Format(Gaps));
        return sb.ToString();
    }
}
