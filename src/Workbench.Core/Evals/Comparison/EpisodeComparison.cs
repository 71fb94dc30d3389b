using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Parquet.Serialization;
using Parquet.Serialization.Attributes;
using Workbench.Evals.Records;
using Workbench.Evals.Scoring;
using Workbench.Evals.Statistics;
using Workbench.Evals.Suites;

namespace Workbench.Evals.Comparison;

/// <summary>One row of a comparison: a task's metric (with its declaration's <see cref="MetricInfo"/>), A vs B on paired
/// episodes; <see cref="Result"/> null when it could not be compared (<see cref="Note"/> says why, e.g. no episode both
/// versions solved).</summary>
public sealed record ComparisonRow(string Task, string Metric, MetricInfo Info, int Pairs, MetricComparison? Result, string Note = "")
{
    // The comparison table's columns (Parquet, written by ComparisonReport.WriteParquet).
    internal ComparisonTableRow ToTableRow() => new()
    {
        Task = Task, Metric = Metric, Pairs = Pairs, ValueA = Result?.ValueA, ValueB = Result?.ValueB, Difference = Result?.Difference,
        Low = Result?.Low, High = Result?.High, PValue = Result?.PValue, AdjustedP = Result?.AdjustedP,
        Verdict = Result is { } c ? Verdicts.Text(c.Verdict) : "n/a", Test = Result?.Test ?? Note,
    };
}

/// <summary>A row of the comparison table file (<c>compare --out</c>): column names and types declared once, here.</summary>
public sealed record ComparisonTableRow
{
    [JsonPropertyName("task"), ParquetRequired] public string Task { get; init; } = "";
    [JsonPropertyName("metric"), ParquetRequired] public string Metric { get; init; } = "";
    [JsonPropertyName("pairs")] public int Pairs { get; init; }
    [JsonPropertyName("value_a")] public double? ValueA { get; init; }
    [JsonPropertyName("value_b")] public double? ValueB { get; init; }
    [JsonPropertyName("difference")] public double? Difference { get; init; }
    [JsonPropertyName("low")] public double? Low { get; init; }
    [JsonPropertyName("high")] public double? High { get; init; }
    [JsonPropertyName("p_value")] public double? PValue { get; init; }
    [JsonPropertyName("adjusted_p")] public double? AdjustedP { get; init; }
    [JsonPropertyName("verdict"), ParquetRequired] public string Verdict { get; init; } = "";
    [JsonPropertyName("test"), ParquetRequired] public string Test { get; init; } = "";
}

/// <summary>The comparison of two result files of the same suite version.</summary>
public sealed record ComparisonReport(string Suite, int SuiteVersion, string A, string B, IReadOnlyList<ComparisonRow> Rows)
{
    public IEnumerable<ComparisonRow> Compared => Rows.Where(r => r.Result != null);

    public string Format()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"suite {Suite} v{SuiteVersion}: A = {A}, B = {B} (difference = B − A, 95% CI; p Holm-adjusted over {Compared.Count()} comparisons)");
        int mw = Math.Max(6, Rows.Max(r => r.Task.Length + 1 + r.Metric.Length));
        sb.AppendLine($"{"metric".PadRight(mw)}  {"A",8} {"B",8}  {"B − A [95% CI]",-28} {"p (Holm)",9}  {"n",5}  verdict");
        foreach (var row in Rows)
        {
            string name = (row.Task + "/" + row.Metric).PadRight(mw);
            if (row.Result is not { } c)
            {
                sb.AppendLine($"{name}  {"",8} {"",8}  {"n/a",-28} {"",9}  {row.Pairs,5}  {row.Note}");
                continue;
            }
            string diff = FormattableString.Invariant($"{c.Difference:+0.###;-0.###;0} [{c.Low:0.###}, {c.High:0.###}]");
            sb.AppendLine(FormattableString.Invariant(
                $"{name}  {c.ValueA,8:0.###} {c.ValueB,8:0.###}  {diff,-28} {PValueText.Format(c.AdjustedP),9}  {row.Pairs,5}  {Verdicts.Text(c.Verdict)}"));
        }
        return sb.ToString();
    }

    /// <summary>The table as JSON (the same columns as <see cref="WriteParquet"/>, plus the suite and the two names).</summary>
    public void WriteJson(string path) => Runtime.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new
    {
        suite = Suite,
        suite_version = SuiteVersion,
        a = A,
        b = B,
        rows = Rows.Select(r => r.ToTableRow()),
    }, new JsonSerializerOptions { WriteIndented = true }));

    public Task WriteParquetAsync(string path, CancellationToken cancel = default)
    {
        var rows = Rows.Select(r => r.ToTableRow()).ToArray();
        return Runtime.AtomicFile.WriteAsync(path, stream => ParquetSerializer.SerializeAsync(rows, stream, cancellationToken: cancel));
    }

    public void WriteParquet(string path) => Runtime.Blocking.Wait(() => WriteParquetAsync(path));
}

/// <summary>
/// Compares two versions on the same episodes of a suite: pairs records by (task, seed, episode), grades both with
/// the task's scorers, and hands the paired grades to <see cref="VersionComparer"/> (McNemar / paired bootstrap,
/// clustered by seed where episodes share one; Holm across every row compared).
/// </summary>
public static class EpisodeComparison
{
    public static ComparisonReport Compare(SuiteConfig suite, IReadOnlyList<EpisodeRecord> a, IReadOnlyList<EpisodeRecord> b,
        string nameA, string nameB, IReadOnlyCollection<string>? onlyMetrics = null, ComparisonOptions? options = null)
    {
        CheckSuite(suite, a, nameA);
        CheckSuite(suite, b, nameB);
        var rows = new List<(string Task, MetricDefinition Metric, int Pairs, PairedMetric? Paired, string Note)>();
        foreach (var task in suite.Tasks)
        {
            var ta = a.Where(r => r.Task == task.Name).ToList();
            var tb = b.Where(r => r.Task == task.Name).ToList();
            if (ta.Count == 0 && tb.Count == 0) continue;
            bool clustered = ta.GroupBy(r => r.Seed).Any(g => g.Count() > 1);
            foreach (var metric in ScorerRegistry.MetricsOf(task.Scorers))
            {
                if (onlyMetrics != null && !onlyMetrics.Contains(metric.Name)) continue;
                if (metric.Summary != MetricSummary.Mean)
                {
                    rows.Add((task.Name, metric, 0, null, "summary statistic; not paired-tested"));
                    continue;
                }
                var ga = Grades(metric, ta);
                var gb = Grades(metric, tb);
                if (ga.Count(kv => kv.Value != null) != 0 || gb.Count(kv => kv.Value != null) != 0)
                {
                    // Metrics graded only on some episodes (path efficiency on successes) are compared where both are graded.
                    var both = ga.Where(kv => kv.Value != null && gb.TryGetValue(kv.Key, out var y) && y != null).Select(kv => kv.Key).ToHashSet();
                    bool conditional = metric.AppliesTo != null;
                    var keysA = conditional ? both : ga.Keys.ToHashSet();
                    if (keysA.Count == 0)
                    {
                        rows.Add((task.Name, metric, 0, null, "no episode graded in both versions"));
                        continue;
                    }
                    var va = ga.Where(kv => keysA.Contains(kv.Key)).Select(kv => new KeyedValue(kv.Key, kv.Value!.Value)).ToList();
                    var vb = gb.Where(kv => (conditional ? keysA.Contains(kv.Key) : true)).Select(kv => new KeyedValue(kv.Key, kv.Value!.Value)).ToList();
                    rows.Add((task.Name, metric, va.Count,
                        new PairedMetric($"{task.Name}/{metric.Name}", metric.Kind, metric.Direction, va, vb, clustered ? EpisodeKey.ByTaskAndSeed : null), ""));
                }
                else rows.Add((task.Name, metric, 0, null, "no graded episodes"));
            }
        }
        var paired = rows.Where(r => r.Paired != null).Select(r => r.Paired!).ToList();
        IReadOnlyList<MetricComparison> results;
        try
        {
            results = paired.Count > 0 ? VersionComparer.Compare(paired, options) : [];
        }
        catch (EpisodeMismatchException e)
        {
            throw new UserError($"{nameA} vs {nameB}: {e.Message}", e);
        }
        var byName = results.ToDictionary(r => r.Metric);
        var report = rows.Select(r => new ComparisonRow(r.Task, r.Metric.Name, r.Metric.Info, r.Pairs,
            r.Paired != null ? byName[r.Paired.Name] with { Metric = r.Metric.Name } : null, r.Note)).ToList();
        return new ComparisonReport(suite.Name, suite.Version, nameA, nameB, report);
    }

    // Grades per episode key; a non-conditional metric has a grade for every record (else MissingGradeException).
    private static Dictionary<EpisodeKey, double?> Grades(MetricDefinition metric, IReadOnlyList<EpisodeRecord> records)
    {
        var grades = new Dictionary<EpisodeKey, double?>();
        foreach (var r in records)
            if (!grades.TryAdd(r.Key, metric.Grade(r)))
                throw new UserError($"episode {r.Key} appears twice in one result file");
        return grades;
    }

    private static void CheckSuite(SuiteConfig suite, IReadOnlyList<EpisodeRecord> records, string name)
    {
        if (records.Count == 0) throw new UserError($"{name}: no episodes");
        var versions = records.Select(r => (r.Suite, r.SuiteVersion)).Distinct().ToList();
        if (versions.Count != 1 || versions[0] != (suite.Name, suite.Version))
            throw new UserError($"{name}: results of suite {string.Join(", ", versions.Select(v => $"{v.Suite} v{v.SuiteVersion}"))}, " +
                                $"but the comparison is for {suite.Name} v{suite.Version}; re-run it on this suite version");
    }
}
