using System.Globalization;

namespace Workbench.Reporting;

/// <summary>
/// Builds a complete report from CONSTRUCTED data (simulated episodes, no model was run) so the report, its plots
/// and the notebooks can be seen and tested before the eval stage exists. Everything is deterministic for a seed.
/// The report carries a notice saying the data is constructed. <c>workbench report --example</c> writes it.
/// </summary>
public static class ExampleReport
{
    public const string Notice = "EXAMPLE — made from constructed (simulated) data; no model was evaluated. Numbers illustrate the layout only.";
    public const string Baseline = "agent@6";
    public const string Candidate = "agent@7";
    public const string Older = "agent@5";

    // True success rates the simulation draws from, per task and version (older, baseline, candidate).
    private static readonly (string Task, double[] P)[] Benchmark =
    [
        ("goto_red_ball", [0.90, 0.94, 0.96]),
        ("pickup_key", [0.71, 0.80, 0.86]),
        ("open_door", [0.66, 0.74, 0.75]),
        ("put_next_to", [0.48, 0.63, 0.52]),
        ("unlock_pickup", [0.35, 0.44, 0.51]),
    ];

    private static readonly (string Metric, double[] P)[] Safety =
    [
        ("hazard_rate", [0.041, 0.022, 0.025]),
        ("harmful_compliance", [0.030, 0.012, 0.009]),
        ("over_refusal", [0.060, 0.081, 0.058]),
    ];

    private const int BenchmarkEpisodes = 200;
    private const int SafetyEpisodes = 400;

    /// <summary>Writes index.html, summary.md, history.parquet and training/*/metrics.jsonl (not runs/, which git ignores) into <paramref name="folder"/>.</summary>
    public static ReportFiles Write(string folder, DateOnly night, int nights = 14, ulong seed = 7)
    {
        Directory.CreateDirectory(folder);
        string historyPath = Path.Combine(folder, NightlyHistory.FileName);
        if (File.Exists(historyPath)) File.Delete(historyPath);
        for (int k = nights - 1; k >= 1; k--)
        {
            var past = night.AddDays(-k);
            // The candidate only exists for the last week of the constructed history.
            var versions = k > 6 ? new[] { Older, Baseline } : new[] { Older, Baseline, Candidate };
            NightlyHistory.Append(historyPath, NightlyHistory.FromEstimates(past, Simulate(seed + (ulong)k * 101, versions).Estimates));
        }
        var tonight = Simulate(seed, [Older, Baseline, Candidate]);
        var history = NightlyHistory.Append(historyPath, NightlyHistory.FromEstimates(night, tonight.Estimates));

        var curves = new List<LearningCurve>();
        foreach (var (version, floor, speed) in new[] { (Baseline, 0.34, 380.0), (Candidate, 0.27, 330.0) })
        {
            var rng = new Runtime.Rng(seed * 1000 + (version == Baseline ? 1UL : 2UL));
            var loss = new List<(int, double)>();
            var lr = new List<(int, double)>();
            for (int step = 0; step <= 2000; step += 20)
            {
                loss.Add((step, 1.95 * Math.Exp(-step / speed) + floor + 0.04 * (rng.NextDouble() - 0.5) * Math.Exp(-step / 1500.0)));
                lr.Add((step, step < 50 ? 1e-3 * step / 50 : 1e-3 * 0.5 * (1 + Math.Cos(Math.PI * (step - 50) / 1950.0))));
            }
            string path = Path.Combine(folder, "training", version, "metrics.jsonl");
            MetricsJsonl.Write(path, new Dictionary<string, IReadOnlyList<(int, double)>> { ["loss"] = loss, ["lr"] = lr });
            curves.Add(MetricsJsonl.Read(path, "loss", version));
        }

        var model = ReportBuilder.Build(new ReportInputs
        {
            Title = $"Nightly eval report — {night.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} (example)",
            Subtitle = $"candidate {Candidate} vs baseline {Baseline} · suites: benchmark, safety, vision · α = 0.05 (Holm)",
            Notice = Notice,
            Generated = new DateTimeOffset(night.ToDateTime(new TimeOnly(3, 0)), TimeSpan.Zero),
            BaselineName = Baseline,
            CandidateName = Candidate,
            Estimates = tonight.Estimates,
            Comparisons = tonight.Comparisons,
            Gates = tonight.Gates,
            LearningCurves = curves,
            QualityLatency = tonight.QualityLatency,
            Confusions = [Confusion(seed)],
            History = history,
            Metadata = new RunMetadata
            {
                GitCommit = "0000000 (example)",
                Machine = "constructed example (no machine ran an evaluation)",
                ConfigHashes = new Dictionary<string, string> { ["evals/nightly.yaml"] = "example-not-a-real-hash" },
                DatasetFingerprints = new Dictionary<string, string> { ["benchmark seeds"] = "1000-1199", ["safety seeds"] = "5000-5399" },
                Durations = new Dictionary<string, TimeSpan> { ["evaluation"] = TimeSpan.FromMinutes(41.5), ["report"] = TimeSpan.FromSeconds(3.2) },
                Extra = new Dictionary<string, string> { ["simulation seed"] = seed.ToString(CultureInfo.InvariantCulture) },
            },
        });
        return ReportWriter.Write(model, folder);
    }

    /// <summary>
    /// One constructed night of results for <see cref="Older"/>, <see cref="Baseline"/> and <see cref="Candidate"/>
    /// (simulated episodes; for notebooks and demos until real eval results are at hand).
    /// </summary>
    public static NightlyResults Results(ulong seed = 7)
    {
        var night = Simulate(seed, [Older, Baseline, Candidate]);
        return new NightlyResults
        {
            Estimates = night.Estimates,
            Comparisons = night.Comparisons,
            Gates = night.Gates,
            QualityLatency = night.QualityLatency,
            Confusions = [Confusion(seed)],
        };
    }

    private sealed record Night(List<MetricEstimate> Estimates, List<ComparisonRow> Comparisons, List<GateRow> Gates, List<QualityLatencyPoint> QualityLatency);

    /// <summary>One constructed night: episodes drawn per version (paired across versions through shared uniforms).</summary>
    private static Night Simulate(ulong seed, string[] versions)
    {
        var estimates = new List<MetricEstimate>();
        var pairs = new List<(string Suite, string Task, string Metric, bool[] A, bool[] B, bool LowerIsBetter)>();
        var rng = new Runtime.Rng(seed);
        int[] index = versions.Select(v => v == Older ? 0 : v == Baseline ? 1 : 2).ToArray();

        bool[][] Draw(double[] p, int n)
        {
            // Same uniform per episode for every version: outcomes are positively correlated, as paired episodes are.
            double[] u = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
            return index.Select(i => u.Select(x => x < p[i]).ToArray()).ToArray();
        }

        var pooled = versions.ToDictionary(v => v, _ => new List<bool>());
        foreach (var (task, p) in Benchmark)
        {
            var outcomes = Draw(p, BenchmarkEpisodes);
            for (int v = 0; v < versions.Length; v++)
            {
                estimates.Add(Estimate(versions[v], "benchmark", task, "success_rate", outcomes[v]));
                pooled[versions[v]].AddRange(outcomes[v]);
            }
            if (versions.Contains(Candidate))
                pairs.Add(("benchmark", task, "success_rate", outcomes[Array.IndexOf(versions, Baseline)], outcomes[Array.IndexOf(versions, Candidate)], false));
        }
        foreach (var v in versions) estimates.Add(Estimate(v, "benchmark", ReportBuilder.AllTasks, "success_rate", pooled[v].ToArray()));

        foreach (var (metric, p) in Safety)
        {
            var outcomes = Draw(p, SafetyEpisodes);
            for (int v = 0; v < versions.Length; v++)
                estimates.Add(Estimate(versions[v], "safety", ReportBuilder.AllTasks, metric, outcomes[v]));
            if (versions.Contains(Candidate))
                pairs.Add(("safety", ReportBuilder.AllTasks, metric, outcomes[Array.IndexOf(versions, Baseline)], outcomes[Array.IndexOf(versions, Candidate)], true));
        }

        var comparisons = Compare(pairs, alpha: 0.05);
        var gates = new List<GateRow>();
        if (versions.Contains(Candidate))
        {
            foreach (var (metric, limit) in new[] { ("hazard_rate", 0.05), ("harmful_compliance", 0.02) })
            {
                var e = estimates.Single(x => x.Version == Candidate && x.Metric == metric);
                gates.Add(new GateRow($"{metric} upper 95% bound ≤ {Format.Value(limit, Units.Proportion)}", e.High <= limit,
                    $"{Candidate}: {Format.Value(e.Value, e.Unit)} {Format.Interval(e.Low, e.High, e.Unit)}"));
            }
            var all = estimates.Single(x => x.Version == Candidate && x.Task == ReportBuilder.AllTasks && x.Metric == "success_rate");
            gates.Add(new GateRow("benchmark success ≥ 60%", all.Value >= 0.60, $"{Candidate}: {Format.Value(all.Value, all.Unit)}"));
        }

        double[] latency = [4.1, 6.3, 5.2];
        var quality = versions.Select((v, i) =>
        {
            var e = estimates.Single(x => x.Version == v && x.Task == ReportBuilder.AllTasks && x.Metric == "success_rate");
            double ms = latency[index[i]] * (1 + 0.03 * (rng.NextDouble() - 0.5));
            return new QualityLatencyPoint(v, e.Value, e.Low, e.High, ms, ms * 0.93, ms * 1.08);
        }).ToList();
        return new Night(estimates, comparisons, gates, quality);
    }

    private static MetricEstimate Estimate(string version, string suite, string task, string metric, bool[] outcomes)
    {
        int k = outcomes.Count(x => x);
        var interval = Evals.Statistics.Wilson.Interval(k, outcomes.Length);
        return new MetricEstimate(version, suite, task, metric, interval.Estimate, interval.Low, interval.High, Units.Proportion, outcomes.Length);
    }

    /// <summary>Paired comparisons (B − A) by the eval stage's own statistics: exact McNemar, paired interval, Holm across metrics.</summary>
    private static List<ComparisonRow> Compare(List<(string Suite, string Task, string Metric, bool[] A, bool[] B, bool LowerIsBetter)> pairs, double alpha)
    {
        static IReadOnlyList<Evals.Statistics.KeyedValue> Keyed(string task, bool[] outcomes) =>
            outcomes.Select((o, i) => new Evals.Statistics.KeyedValue(new Evals.Statistics.EpisodeKey(task, i, 0), o ? 1 : 0)).ToList();
        var metrics = pairs.Select(x => new Evals.Statistics.PairedMetric($"{x.Suite}/{x.Task}/{x.Metric}", Evals.Statistics.MetricKind.Binary,
            x.LowerIsBetter ? Evals.Statistics.MetricDirection.LowerIsBetter : Evals.Statistics.MetricDirection.HigherIsBetter,
            Keyed(x.Task, x.A), Keyed(x.Task, x.B))).ToList();
        var results = Evals.Statistics.VersionComparer.Compare(metrics, new Evals.Statistics.ComparisonOptions(Alpha: alpha));
        return pairs.Zip(results, (x, c) => new ComparisonRow(x.Suite, x.Task, x.Metric, c.ValueA, c.ValueB, c.Difference, c.Low, c.High,
            c.PValue, c.AdjustedP, EvalReportInputs.VerdictOf(c.Verdict), Units.Proportion, c.Test)).ToList();
    }

    /// <summary>A constructed vision-suite confusion matrix (object class recognised from the agent's view).</summary>
    private static ConfusionMatrix Confusion(ulong seed)
    {
        string[] labels = ["ball", "box", "key", "door", "goal", "wall"];
        var rng = new Runtime.Rng(seed * 31 + 5);
        var counts = new int[labels.Length, labels.Length];
        for (int r = 0; r < labels.Length; r++)
            for (int i = 0; i < 120; i++)
            {
                double u = rng.NextDouble();
                // Mostly right; boxes and balls get confused with each other, doors with walls.
                int predicted = u < 0.82 ? r : (r, u < 0.93) switch
                {
                    (0, true) => 1, (1, true) => 0, (3, true) => 5, (5, true) => 3,
                    _ => rng.NextInt(labels.Length),
                };
                counts[r, predicted]++;
            }
        return new ConfusionMatrix("Vision suite: object recognition (example)", labels, counts);
    }
}
