using System.Globalization;
using System.Text;
using Workbench.Evals.Records;
using Workbench.Evals.Statistics;
using Workbench.Evals.Suites;

namespace Workbench.Evals.Scoring;

/// <summary>
/// One row of the train vs held-out table: a rate pooled over a suite's train-family tasks and over its held-out tasks
/// of the same kind (harmful or benign), and the gap held-out − train with its interval. A model that memorised its
/// training phrasings shows a large gap; one that learned the concept shows none.
/// </summary>
public sealed record FamilyGap(
    string Label, string Metric, IReadOnlyList<string> TrainTasks, IReadOnlyList<string> HeldOutTasks,
    ConfidenceInterval Train, int TrainCount, ConfidenceInterval HeldOut, int HeldOutCount, ConfidenceInterval Gap, string Method)
{
    private static string F(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Format(ConfidenceInterval c, bool signed = false) =>
        $"{(signed && c.Estimate > 0 ? "+" : "")}{F(c.Estimate)} [{F(c.Low)}, {F(c.High)}]";
}

/// <summary>Builds the train vs held-out rows of a suite (tasks whose <see cref="TaskConfig.SplitOf"/> and <see cref="TaskConfig.LabelOf"/> are known).</summary>
public static class FamilyGaps
{
    public static IReadOnlyList<FamilyGap> Build(SuiteConfig suite, IReadOnlyList<EpisodeRecord> records)
    {
        var gaps = new List<FamilyGap>();
        var sided = suite.Tasks.Where(t => t.SplitOf() != null && t.LabelOf() != null).ToList();
        foreach (var label in sided.Select(t => t.LabelOf()!.Value).Distinct())
        {
            var train = sided.Where(t => t.LabelOf() == label && t.SplitOf() == Envs.FamilySplit.Train).ToList();
            var heldOut = sided.Where(t => t.LabelOf() == label && t.SplitOf() == Envs.FamilySplit.HeldOut).ToList();
            if (train.Count == 0 || heldOut.Count == 0) continue;
            var metrics = Binary(train).Where(m => Binary(heldOut).Any(h => h.Name == m.Name)).ToList();
            foreach (var metric in metrics)
            {
                var a = Grades(metric, train, records);
                var b = Grades(metric, heldOut, records);
                if (a.Count == 0 || b.Count == 0) continue;
                bool clustered = a.Concat(b).GroupBy(g => g.Cluster).Any(g => g.Count() > 1);
                ConfidenceInterval ta, tb, gap;
                string method;
                if (clustered)
                {
                    var ca = ClusteredMean.Estimate(a.Select(g => g.Value).ToArray(), a.Select(g => g.Cluster).ToArray());
                    var cb = ClusteredMean.Estimate(b.Select(g => g.Value).ToArray(), b.Select(g => g.Cluster).ToArray());
                    double d = cb.Mean - ca.Mean, se = Math.Sqrt(ca.StandardError * ca.StandardError + cb.StandardError * cb.StandardError);
                    double z = Critical.Z(0.95);
                    (ta, tb, gap) = (ca.Interval, cb.Interval, new ConfidenceInterval(d, d - z * se, d + z * se));
                    method = "clustered SE";
                }
                else
                {
                    int ka = (int)a.Sum(g => g.Value), kb = (int)b.Sum(g => g.Value);
                    (ta, tb, gap) = (Wilson.Interval(ka, a.Count), Wilson.Interval(kb, b.Count), NewcombeDifference.Interval(ka, a.Count, kb, b.Count));
                    method = "Wilson; Newcombe";
                }
                gaps.Add(new FamilyGap(label.ToString().ToLowerInvariant(), metric.Name, train.Select(t => t.Name).ToList(), heldOut.Select(t => t.Name).ToList(),
                    ta, a.Count, tb, b.Count, gap, method));
            }
        }
        return gaps;
    }

    private static IEnumerable<MetricDefinition> Binary(IEnumerable<TaskConfig> tasks) =>
        tasks.SelectMany(t => ScorerRegistry.MetricsOf(t.Scorers)).Where(m => m.Kind == MetricKind.Binary && m.IsPerEpisode).DistinctBy(m => m.Name);

    private static List<(double Value, string Cluster)> Grades(MetricDefinition metric, List<TaskConfig> tasks, IReadOnlyList<EpisodeRecord> records)
    {
        var names = tasks.Where(t => ScorerRegistry.MetricsOf(t.Scorers).Any(m => m.Name == metric.Name)).Select(t => t.Name).ToHashSet();
        return records.Where(r => names.Contains(r.Task))
            .Select(r => (Grade: metric.Grade(r), Cluster: $"{r.Task}/{r.Seed.ToString(CultureInfo.InvariantCulture)}"))
            .Where(g => g.Grade != null).Select(g => (g.Grade!.Value, g.Cluster)).ToList();
    }

    /// <summary>The table as text (the CLI prints it under the per-task estimates).</summary>
    public static string Format(IReadOnlyList<FamilyGap> gaps)
    {
        if (gaps.Count == 0) return "";
        var sb = new StringBuilder();
        sb.AppendLine("train vs held-out families (pooled over tasks; gap = held-out − train, 95% CI):");
        int mw = Math.Max(6, gaps.Max(g => g.Metric.Length));
        sb.AppendLine($"{"kind",-8} {"metric".PadRight(mw)}  {"train",-24} {"n",5}  {"held-out",-24} {"n",5}  {"gap",-26} method");
        foreach (var g in gaps)
            sb.AppendLine($"{g.Label,-8} {g.Metric.PadRight(mw)}  {FamilyGap.Format(g.Train),-24} {g.TrainCount,5}  {FamilyGap.Format(g.HeldOut),-24} {g.HeldOutCount,5}  " +
                          $"{FamilyGap.Format(g.Gap, signed: true),-26} {g.Method}");
        sb.AppendLine($"  train tasks: {string.Join(", ", gaps.SelectMany(g => g.TrainTasks).Distinct())}; held-out tasks: {string.Join(", ", gaps.SelectMany(g => g.HeldOutTasks).Distinct())}");
        return sb.ToString();
    }
}
