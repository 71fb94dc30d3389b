using System.Globalization;
using System.Text;
using System.Text.Json;
using Workbench.Evals.Records;
using Workbench.Evals.Scoring;
using Workbench.Evals.Statistics;
using Workbench.Reporting;

namespace Workbench.Workflows.Sweeps;

/// <summary>What the sweep report wrote, and the rows it holds.</summary>
public sealed record SweepReportFiles(
    string Markdown, string RunsTable, string PointsTable, string? Plot, IReadOnlyList<SweepResult> Runs, IReadOnlyList<SweepPointRow> Points,
    IReadOnlyList<SweepCrossingRow> Crossings, IReadOnlyList<SweepRun> Unfinished);

/// <summary>
/// The comparison of a sweep, from its finished runs: <c>runs.parquet</c> (one row per run), <c>points.parquet</c> (per
/// point: mean over seeds with a cluster-robust interval across seeds — the runs' episodes clustered by training seed,
/// <see cref="ClusteredMean"/>, for rates never narrower than the pooled <see cref="Wilson"/> interval; a single seed keeps its
/// own run's interval), the first crossing of the threshold per
/// series (<see cref="ThresholdCrossing"/>), <c>summary.md</c>, and the plot of the metric against the swept value.
/// Results of another experiment or suite content than the plan's are left out, and unfinished runs are listed.
/// </summary>
public static class SweepReport
{
    public static SweepReportFiles Write(SweepPlan plan, TextWriter? log = null)
    {
        var config = plan.Config;
        var suite = plan.Suite();
        var metric = plan.Metric(suite);
        var xAxis = config.XAxis!;
        var axes = config.Axes.Select(a => a.Name).ToList();

        // 1. Finished runs of this plan.
        var finished = new List<SweepResult>();
        var unfinished = new List<SweepRun>();
        foreach (var run in plan.Runs)
        {
            if (SweepRunner.Finished(plan, run, plan.Experiment(run), suite) is { } r) finished.Add(r);
            else unfinished.Add(run);
        }

        // 2. Every point over its seeds.
        var points = finished.GroupBy(r => r.Point).Select(g => Point(g.OrderBy(r => r.Seed).ToList(), metric)).ToList();
        var order = plan.Runs.Select(r => r.Point).Distinct().ToList();
        points = points.OrderBy(p => order.IndexOf(p.Point)).ToList();

        // 3. Where each series first reaches the threshold.
        var crossings = new List<SweepCrossingRow>();
        if (config.Report.Threshold is double threshold)
            foreach (var series in finished.Where(r => r.X != null).GroupBy(r => r.Series))
                crossings.Add(Crossing(series.Key, series.ToList(), points.Where(p => p.Series == series.Key).ToList(), threshold, config));

        // 4. Tables, plot, summary.
        Directory.CreateDirectory(plan.Folder);
        string runsTable = Path.Combine(plan.Folder, "runs.parquet"), pointsTable = Path.Combine(plan.Folder, "points.parquet");
        SweepTable.WriteRuns(runsTable, axes, finished.OrderBy(r => r.Index).ToList());
        SweepTable.WritePoints(pointsTable, axes, config.Eval.Metric, points);
        Runtime.AtomicFile.WriteAllText(Path.Combine(plan.Folder, "crossings.json"), JsonSerializer.Serialize(crossings, SweepResult.Json));
        string unit = metric?.Kind == MetricKind.Binary ? Units.Proportion : "";
        string? plot = null;
        if (points.Any(p => p.X != null))
        {
            var curves = points.Where(p => p.X != null).GroupBy(p => p.Series).Select(g => new SweepCurve(g.Key,
                g.Select(p => new SweepCurvePoint(p.X!.Value, p.Mean, p.Low, p.High, p.PerSeed)).ToList(),
                crossings.FirstOrDefault(c => c.Series == g.Key) is { Median: { } m, Low: { } lo, High: { } hi } ? new SweepCrossingBand(m, lo, hi) : null)).ToList();
            plot = Plots.Sweep(curves, xAxis.Name, config.Eval.Metric, unit, config.Report.LogX, config.Report.Threshold,
                title: $"{config.Name}: {Plots.Pretty(config.Eval.Metric)} vs {xAxis.Name}").Save(plan.Folder);
        }
        string markdown = Path.Combine(plan.Folder, "summary.md");
        Runtime.AtomicFile.WriteAllText(markdown, Markdown(plan, finished, points, crossings, unfinished, plot, unit));
        log?.WriteLine($"sweep {config.Name}: {finished.Count} of {plan.Runs.Count} runs finished → {Path.GetFullPath(markdown)}");
        return new SweepReportFiles(markdown, runsTable, pointsTable, plot, finished, points, crossings, unfinished);
    }

    private static SweepPointRow Point(IReadOnlyList<SweepResult> runs, MetricDefinition? metric)
    {
        var first = runs[0];
        var perSeed = runs.Select(r => r.Value).ToList();
        if (runs.Count == 1)
            return new SweepPointRow(first.Point, first.Series, first.Values, first.X, 1, first.Value, first.Low ?? first.Value, first.High ?? first.Value,
                first.Episodes, $"{first.Method}, one seed", perSeed);
        ClusteredEstimate estimate;
        int episodes = 0;
        if (metric != null)
        {
            // Every graded episode of every seed, clustered by the training seed: the interval reflects seed-to-seed variation.
            var values = new List<double>();
            var clusters = new List<string>();
            foreach (var run in runs)
            {
                foreach (var record in EpisodeRecordFile.Read(run.EvalFile!))
                {
                    if (metric.Grade(record) is not { } grade) continue;
                    values.Add(grade);
                    clusters.Add(run.Seed.ToString(CultureInfo.InvariantCulture));
                }
            }
            estimate = ClusteredMean.Estimate(values, clusters);
            episodes = values.Count;
            if (metric.Kind == MetricKind.Binary)
            {
                // With a handful of seeds the clustered SE rests on few degrees of freedom, and is 0 when the seeds agree
                // exactly: the interval is never narrower than the pooled episodes' Wilson interval.
                var wilson = Wilson.Interval((int)Math.Round(values.Sum()), values.Count);
                return new SweepPointRow(first.Point, first.Series, first.Values, first.X, runs.Count, estimate.Mean,
                    Math.Clamp(Math.Min(estimate.Low, wilson.Low), 0, 1), Math.Clamp(Math.Max(estimate.High, wilson.High), 0, 1), episodes,
                    $"clustered SE across {runs.Count} seeds, at least the pooled Wilson interval", perSeed);
            }
        }
        else estimate = ClusteredMean.Estimate(perSeed);
        return new SweepPointRow(first.Point, first.Series, first.Values, first.X, runs.Count, estimate.Mean, estimate.Low, estimate.High, episodes,
            $"clustered SE across {runs.Count} seeds", perSeed);
    }

    private static SweepCrossingRow Crossing(string series, IReadOnlyList<SweepResult> runs, IReadOnlyList<SweepPointRow> points, double threshold, SweepConfig config)
    {
        bool log = config.Report.LogX;
        var estimate = ThresholdCrossing.Estimate(runs.Select(r => log ? Math.Log2(r.X!.Value) : r.X!.Value).ToList(), runs.Select(r => r.Value).ToList(),
            threshold, log ? v => Math.Pow(2, v) : null);
        double? firstReaching = points.Where(p => p.X != null && p.Mean >= threshold).Select(p => p.X).Min();
        string reference = config.Report.Reference.GetValueOrDefault(series) ?? config.Report.Reference.GetValueOrDefault("all") ?? "";
        if (estimate is null)
            return new SweepCrossingRow(series, threshold, null, null, null, 0, firstReaching, runs.Count, reference, ["fewer than two distinct swept values: nothing to interpolate"]);
        double? Finite(double v) => double.IsFinite(v) ? v : null;
        return new SweepCrossingRow(series, threshold, Finite(estimate.Median), Finite(estimate.Low), Finite(estimate.High), estimate.ProbabilityInRange,
            firstReaching, estimate.Points, reference, estimate.Warnings);
    }

    private static string Markdown(SweepPlan plan, IReadOnlyList<SweepResult> runs, IReadOnlyList<SweepPointRow> points, IReadOnlyList<SweepCrossingRow> crossings,
        IReadOnlyList<SweepRun> unfinished, string? plot, string unit)
    {
        var c = plan.Config;
        string metric = c.Eval.Metric;
        string F(double? v) => v is not { } x ? "–" : unit == Units.Proportion ? x.ToString("0.000", CultureInfo.InvariantCulture) : x.ToString("G4", CultureInfo.InvariantCulture);
        string N(double? v) => v is { } x ? Plots.Compact(x) : "–";
        var s = new StringBuilder();
        s.AppendLine($"# Sweep {c.Name}");
        s.AppendLine();
        if (c.Description.Length > 0) s.AppendLine(c.Description.Trim()).AppendLine();
        s.AppendLine($"Base experiment `{c.Experiment}`; " + (c.Eval.Suite is { } suite ? $"evaluated on `{suite}`" : "training metrics") +
                     $"; metric `{metric}`; seeds {string.Join(", ", c.Seeds)}; **{runs.Count} of {plan.Runs.Count} runs finished**.");
        s.AppendLine($"Written {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `workbench sweep {plan.File}{string.Concat(plan.Overrides.Select(o => $" --set {o}"))}`.");
        s.AppendLine();
        if (plot != null) s.AppendLine($"![{metric} vs {c.XAxis!.Name}]({Path.GetFileName(plot)})").AppendLine();

        s.AppendLine($"## {metric} per point");
        s.AppendLine();
        s.AppendLine("Mean over seeds; the 95 % interval is cluster-robust across seeds (episodes clustered by training seed; for rates never narrower " +
                     "than the pooled episodes' Wilson interval; with one seed, that run's own interval).");
        s.AppendLine();
        s.AppendLine($"| series | {string.Join(" | ", c.Axes.Select(a => a.Name))} | seeds | {metric} [95 % CI] | per seed | episodes |");
        s.AppendLine($"|---|{string.Concat(c.Axes.Select(_ => "---|"))}---|---|---|---|");
        foreach (var p in points)
            s.AppendLine($"| {p.Series} | {string.Join(" | ", c.Axes.Select(a => p.Values[a.Name]))} | {p.Seeds} | {F(p.Mean)} [{F(p.Low)}, {F(p.High)}] | " +
                         $"{string.Join(", ", p.PerSeed.Select(v => F(v)))} | {p.Episodes} |");

        if (crossings.Count > 0)
        {
            s.AppendLine();
            s.AppendLine($"## First reaching {metric} ≥ {crossings[0].Threshold.ToString(CultureInfo.InvariantCulture)} along {c.XAxis!.Name}");
            s.AppendLine();
            s.AppendLine($"Gaussian-process interpolation of 100·({metric} − threshold) over {(c.Report.LogX ? "log2 " : "")}{c.XAxis.Name}, every run a point, " +
                         "as BabyAI (ICLR 2019) estimates the demonstrations needed (mila-iqia/babyai, babyai/plotting.py). The interval is the 1st–99th " +
                         "percentile of the posterior of the first crossing; P(in range) is the posterior probability that it lies inside the swept range.");
            s.AppendLine();
            s.AppendLine($"| series | estimate (median) | 1st–99th percentile | P(in range) | first swept value whose mean reaches it | runs | reference | notes |");
            s.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var x in crossings)
                s.AppendLine($"| {x.Series} | {N(x.Median)} | {(x.Low is null ? "–" : $"{N(x.Low)} – {N(x.High)}")} | {x.ProbabilityInRange:0.00} | {(x.FirstPointReaching is { } f ? Plots.Compact(f) : "none")} | " +
                             $"{x.Runs} | {x.Reference} | {string.Join("; ", x.Warnings)} |");
        }

        s.AppendLine();
        s.AppendLine("## Runs");
        s.AppendLine();
        s.AppendLine($"| # | run | seed | {metric} [95 % CI] | n | method | training | model |");
        s.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in runs.OrderBy(r => r.Index))
            s.AppendLine($"| {r.Index} | {r.RunId} | {r.Seed} | {F(r.Value)}" + (r.Low is { } lo && r.High is { } hi ? $" [{F(lo)}, {F(hi)}]" : "") +
                         $" | {r.Episodes} | {r.Method} | {r.TrainStatus}, {r.Steps} steps" + (r.TrainSeconds is { } t ? $", {t:0} s" : "") + $" | `{r.Model}` |");
        if (unfinished.Count > 0)
        {
            s.AppendLine();
            s.AppendLine($"Not finished ({unfinished.Count}): {string.Join(", ", unfinished.Select(u => $"{u.Index} {u.Id}"))}. Run `workbench sweep {plan.File}` again to finish them.");
        }
        return s.ToString();
    }
}
