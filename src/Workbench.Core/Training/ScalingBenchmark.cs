using System.Globalization;
using System.Text.Json;
using Workbench.Distributed;

namespace Workbench.Training;

/// <summary>One rank's figures in a data-parallel benchmark (seconds are means per timed step).</summary>
/// <param name="WaitSeconds">Waiting for the slowest rank before the all-reduce (load imbalance, a busy machine).</param>
public sealed record RankFigures(int Rank, double SamplesPerSecond, double StepSeconds, double WaitSeconds, double AllReduceSeconds);

/// <summary>The figures of one world size: every rank's, and what they add up to.</summary>
public sealed record WorldFigures(int Ranks, int ThreadsPerRank, string Transport, long Parameters, int SamplesPerRankStep, IReadOnlyList<RankFigures> PerRank)
{
    public double TotalSamplesPerSecond => PerRank.Sum(r => r.SamplesPerSecond);
    public double StepSeconds => PerRank.Max(r => r.StepSeconds);
    public double AllReduceSeconds => PerRank.Average(r => r.AllReduceSeconds);
    public double WaitSeconds => PerRank.Average(r => r.WaitSeconds);
    /// <summary>Share of a step spent in the all-reduce itself, once every rank has arrived (mean over ranks).</summary>
    public double AllReduceShare => PerRank.Average(r => r.AllReduceSeconds / r.StepSeconds);
    /// <summary>Share of a step spent waiting for the slowest rank (mean over ranks).</summary>
    public double WaitShare => PerRank.Average(r => r.WaitSeconds / r.StepSeconds);
}

/// <summary>
/// Throughput of data-parallel training steps at several world sizes on this machine (weak scaling: every rank
/// trains a batch of the same size, so N ranks process N batches per step). Scaling efficiency at N ranks =
/// total samples/s ÷ (N × total samples/s at 1 rank); 1.0 is the ideal (the limit of adding ranks).
/// </summary>
public static class ScalingBenchmark
{
    /// <summary>Runs on every rank together: checks the collectives (rank 0 reports it), times the steps, and gathers every rank's figures.</summary>
    public static WorldFigures Measure(TrainBenchmarkSettings settings, ICollective world, TextWriter? log = null)
    {
        string check = CollectiveCheck.Run(world);
        if (world.IsRoot) log?.WriteLine(check);
        var result = TrainBenchmark.Run(settings, world);
        var mine = new RankFigures(world.Rank, result.SamplesPerSecond, result.StepSeconds, result.WaitSeconds, result.AllReduceSeconds);
        var all = world.AllGatherStrings(JsonSerializer.Serialize(mine)).Select(json => JsonSerializer.Deserialize<RankFigures>(json)!).ToList();
        return new WorldFigures(world.Size, settings.Threads, world.Transport, result.Parameters, (int)Math.Round(result.SamplesPerStep), all);
    }

    /// <summary>
    /// For each world size N, runs <c>mpirun -np N --bind-to none</c> of <paramref name="benchCommand"/> (a command that
    /// prints <see cref="WorldFigures"/> as its last JSON line, e.g. <c>workbench bench train --json</c>) and collects the figures.
    /// </summary>
    /// <exception cref="UserError">mpirun is missing, or a run failed (its error output is included).</exception>
    public static IReadOnlyList<WorldFigures> Compare(IReadOnlyList<int> worldSizes, IReadOnlyList<string> benchCommand, Action<string>? progress = null)
    {
        var figures = new List<WorldFigures>();
        foreach (int n in worldSizes)
        {
            progress?.Invoke($"mpirun -np {n} --bind-to none {string.Join(' ', benchCommand)}");
            // --bind-to none: with -np ≤ 2 Open MPI pins each rank to one core, which would cap a 1-rank run's threads.
            var (code, output, error) = MpiRun.Run(n, benchCommand, ["--bind-to", "none", "-q"]);
            string? last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            if (code != 0 || last is null || !last.StartsWith('{'))
                throw new UserError($"the {n}-rank benchmark failed (mpirun exit {code}): {(error + output).Trim()}");
            figures.Add(JsonSerializer.Deserialize<WorldFigures>(last)!);
        }
        return figures;
    }

    /// <summary>Total throughput at N ranks relative to N times the 1-rank throughput.</summary>
    public static double Efficiency(WorldFigures single, WorldFigures world) =>
        world.TotalSamplesPerSecond / (world.Ranks * single.TotalSamplesPerSecond);

    /// <summary>One line per world size, as <c>bench train --ranks</c> prints them.</summary>
    public static IEnumerable<string> Describe(IReadOnlyList<WorldFigures> figures)
    {
        var inv = CultureInfo.InvariantCulture;
        var single = figures.FirstOrDefault(f => f.Ranks == 1);
        foreach (var f in figures)
        {
            string perRank = string.Join(", ", f.PerRank.Select(r => r.SamplesPerSecond.ToString("0", inv)));
            string efficiency = single is null ? "n/a (no 1-rank run)" : f.Ranks == 1 ? "1.00 (reference)" : Efficiency(single, f).ToString("0.00", inv);
            yield return string.Create(inv, $"  {f.Ranks} rank{(f.Ranks == 1 ? " " : "s")}: samples/s per rank [{perRank}], total {f.TotalSamplesPerSecond:0}; " +
                                            $"step {f.StepSeconds * 1000:0.0} ms, all-reduce {f.AllReduceSeconds * 1000:0.00} ms = {f.AllReduceShare * 100:0.0} % of the step " +
                                            $"(+ waiting for the slowest rank {f.WaitSeconds * 1000:0.0} ms = {f.WaitShare * 100:0.0} %); " +
                                            $"scaling efficiency {efficiency}");
        }
    }
}
