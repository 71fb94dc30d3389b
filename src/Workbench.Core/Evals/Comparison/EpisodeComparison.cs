using System.Globalization;
using System.Text;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Workbench.Evals.Records;
using Workbench.Evals.Scoring;
using Workbench.Evals.Statistics;
using Workbench.Evals.Suites;

namespace Workbench.Evals.Comparison;

/// <summary>One row of a comparison: a task's metric, A vs B on paired episodes; <see cref="Result"/> null when it
/// could not be compared (<see cref="Note"/> says why, e.g. no episode both versions solved).</summary>
public sealed record ComparisonRow(string Task, string Metric, int Pairs, MetricComparison? Result, string Note = "");

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
                $"{name}  {c.ValueA,8:0.###} {c.ValueB,8:0.###}  {diff,-28} {PValueText.Format(c.AdjustedP),9}  {row.Pairs,5}  {VerdictText(c.Verdict)}"));
        }
        return sb.ToString();
    }

    public static string VerdictText(Verdict v) => v switch
    {
        Verdict.Better => "better",
        Verdict.Worse => "worse",
        _ => "no significant change",
    };

    public void WriteJson(string path) => Runtime.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new
    {
        suite = Suite,
        suite_version = SuiteVersion,
        a = A,
        b = B,
        rows = Rows.Select(r => new
        {
            task = r.Task,
            metric = r.Metric,
            pairs = r.Pairs,
            value_a = r.Result?.ValueA,
            value_b = r.Result?.ValueB,
            difference = r.Result?.Difference,
            low = r.Result?.Low,
            high = r.Result?.High,
            p_value = r.Result?.PValue,
            adjusted_p = r.Result?.AdjustedP,
            verdict = r.Result is { } c ? VerdictText(c.Verdict) : "n/a",
            test = r.Result?.Test ?? r.Note,
        }),
    }, new JsonSerializerOptions { WriteIndented = true }));

    public void WriteParquet(string path)
    {
        var fields = new DataField[]
        {
            new DataField<string>("task", false), new DataField<string>("metric", false), new DataField<int>("pairs", false),
            new DataField<double?>("value_a", true), new DataField<double?>("value_b", true), new DataField<double?>("difference", true),
            new DataField<double?>("low", true), new DataField<double?>("high", true), new DataField<double?>("p_value", true),
            new DataField<double?>("adjusted_p", true), new DataField<string>("verdict", false), new DataField<string>("test", false),
        };
        var r = Rows.ToArray();
        Runtime.AtomicFile.WriteAsync(path, async stream =>
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
            using var g = writer.CreateRowGroup();
            await g.WriteAsync((DataField<string>)fields[0], r.Select(x => x.Task).ToArray());
            await g.WriteAsync((DataField<string>)fields[1], r.Select(x => x.Metric).ToArray());
            await g.WriteAsync<int>(fields[2], r.Select(x => x.Pairs).ToArray());
            await g.WriteAsync<double>(fields[3], new ReadOnlyMemory<double?>(r.Select(x => x.Result?.ValueA).ToArray()));
            await g.WriteAsync<double>(fields[4], new ReadOnlyMemory<double?>(r.Select(x => x.Result?.ValueB).ToArray()));
            await g.WriteAsync<double>(fields[5], new ReadOnlyMemory<double?>(r.Select(x => x.Result?.Difference).ToArray()));
            await g.WriteAsync<double>(fields[6], new ReadOnlyMemory<double?>(r.Select(x => x.Result?.Low).ToArray()));
            await g.WriteAsync<double>(fields[7], new ReadOnlyMemory<double?>(r.Select(x => x.Result?.High).ToArray()));
            await g.WriteAsync<double>(fields[8], new ReadOnlyMemory<double?>(r.Select(x => x.Result?.PValue).ToArray()));
            await g.WriteAsync<double>(fields[9], new ReadOnlyMemory<double?>(r.Select(x => x.Result?.AdjustedP).ToArray()));
            await g.WriteAsync((DataField<string>)fields[10], r.Select(x => x.Result is { } c ? VerdictText(c.Verdict) : "n/a").ToArray());
            await g.WriteAsync((DataField<string>)fields[11], r.Select(x => x.Result?.Test ?? x.Note).ToArray());
        }).GetAwaiter().GetResult();
    }
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
        var rows = new List<(string Task, string Metric, int Pairs, PairedMetric? Paired, string Note)>();
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
                    rows.Add((task.Name, metric.Name, 0, null, "summary statistic; not paired-tested"));
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
                        rows.Add((task.Name, metric.Name, 0, null, "no episode graded in both versions"));
                        continue;
                    }
                    var va = ga.Where(kv => keysA.Contains(kv.Key)).Select(kv => new KeyedValue(kv.Key, kv.Value!.Value)).ToList();
                    var vb = gb.Where(kv => (conditional ? keysA.Contains(kv.Key) : true)).Select(kv => new KeyedValue(kv.Key, kv.Value!.Value)).ToList();
                    rows.Add((task.Name, metric.Name, va.Count,
                        new PairedMetric($"{task.Name}/{metric.Name}", metric.Kind, metric.Direction, va, vb, clustered ? EpisodeKey.ByTaskAndSeed : null), ""));
                }
                else rows.Add((task.Name, metric.Name, 0, null, "no graded episodes"));
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
        var report = rows.Select(r => new ComparisonRow(r.Task, r.Metric, r.Pairs,
            r.Paired != null ? byName[r.Paired.Name] with { Metric = r.Metric } : null, r.Note)).ToList();
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
