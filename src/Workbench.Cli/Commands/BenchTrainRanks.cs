using System.Globalization;
using System.Text.Json;
using Workbench.Distributed;
using Workbench.Training;

namespace Workbench.Cli.Commands;

/// <summary>The data-parallel side of <c>bench train</c>: one world size measured under mpirun, or several compared.</summary>
internal static class BenchTrainRanks
{
    /// <summary>Every rank measures; rank 0 prints the world's figures (one JSON line with --json).</summary>
    public static int Measure(TrainBenchmarkSettings s, ICollective world, bool json, CliContext cli)
    {
        var figures = ScalingBenchmark.Measure(s, world, cli.Error);
        if (!world.IsRoot) return ExitCodes.Ok;
        if (json) cli.Out.WriteLine(JsonSerializer.Serialize(figures));
        else foreach (var line in ScalingBenchmark.Describe([figures])) cli.Out.WriteLine(line);
        return ExitCodes.Ok;
    }

    /// <summary>Runs the benchmark under mpirun -np N for each N and prints the comparison.</summary>
    public static int Compare(TrainBenchmarkSettings s, IReadOnlyList<int> ranks, CliContext cli)
    {
        string[] bench = [.. MpiRun.Self(), "bench", "train", "--family", s.Family, "--size", s.Size, "--episodes", $"{s.Episodes}", "--steps", $"{s.Steps}",
            "--iterations", $"{s.Iterations}", "--threads", $"{s.Threads}", "--json",
            "--observation", Models.ModelArchitectures.Name(s.Input.Modality), "--tile", $"{(s.Input.IsPixels ? s.Input.TileSize : 8)}",
            .. (s.DataPath is null ? Array.Empty<string>() : ["--data", s.DataPath])];
        var figures = ScalingBenchmark.Compare(ranks, bench, line => cli.Error.WriteLine($"running: {line}"));
        var first = figures[0];
        cli.Out.WriteLine($"TorchSharp {s.Family}/{s.Size}: {first.Parameters:N0} parameters ({first.Parameters * 4:N0} bytes of gradients summed per step), " +
                          $"{s.Episodes} episodes × {s.Steps} steps = {first.SamplesPerRankStep} samples per rank and step (weak scaling), " +
                          $"{s.Threads} torch thread(s) per rank, {s.Iterations} timed iterations; {first.Transport}, mpirun --bind-to none; " +
                          $"this machine: {Environment.ProcessorCount} cores");
        foreach (var line in ScalingBenchmark.Describe(figures)) cli.Out.WriteLine(line);
        cli.Out.WriteLine("  scaling efficiency = total samples/s at N ranks ÷ (N × samples/s at 1 rank); 1.00 is linear scaling. " +
                          "Waiting (a barrier before the all-reduce) measures load imbalance and other work on the machine.");
        return ExitCodes.Ok;
    }

    /// <summary>--ranks: a comma-separated list of world sizes such as 1,2.</summary>
    public static int[] Parse(string list)
    {
        var ranks = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(x => int.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 ? n
                : throw new UserError($"'{x}' is not a positive whole number (expected a list such as 1,2)"))
            .ToArray();
        return ranks.Length > 0 ? ranks : throw new UserError("expected a list of world sizes such as 1,2");
    }
}
