using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Workbench.Distributed;
using Workbench.Training;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench bench train</c>: times BC training steps of a model on CPU (samples/s, step-time split, achieved matmul
/// FLOP/s) and runs the same model and batch in PyTorch eager (bench/train_peer.py) with the same thread count.
/// Data parallel: <c>--ranks 1,2</c> runs the benchmark under <c>mpirun -np N</c> for each N and prints samples/s per
/// rank, scaling efficiency and the all-reduce share of the step; under mpirun itself it measures that world size.
/// </summary>
public sealed class BenchTrainCommand : ICommand
{
    public string Name => "bench train";
    public string Summary => "Benchmark training steps (samples/s, time split, FLOP/s) against a PyTorch eager peer";
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("family", "model family", Default: "transformer", ValueName: "NAME"),
        new("size", "size preset", Default: "tiny", ValueName: "SIZE"),
        new("episodes", "episodes per batch", Default: "16", ValueName: "N"),
        new("steps", "steps per episode (fixed length)", Default: "16", ValueName: "N"),
        new("iterations", "timed iterations", Default: "20", ValueName: "N"),
        new("threads", "torch threads per process (both sides; default 2, with --ranks: cores ÷ the largest rank count)", ValueName: "N"),
        new("ranks", "compare data-parallel world sizes, e.g. 1,2: runs this benchmark under mpirun -np N for each", ValueName: "LIST"),
        new("json", "print the figures as one JSON line (data-parallel runs)", IsFlag: true),
        new("python", "python with torch for the peer (default: the first of python3, /usr/bin/python3 that imports torch); 'none' skips it", ValueName: "EXE"),
    ];

    public int Run(ParsedArgs args)
    {
        var ranks = args.Option("ranks") is { } list ? ParseRanks(list) : null;
        int threads = args.Int("threads", ranks is null ? 2 : Math.Max(1, Environment.ProcessorCount / ranks.Max()));
        var s = new TrainBenchmarkSettings(args.Option("family")!, args.Option("size")!, args.Int("episodes", 16), args.Int("steps", 16),
            Iterations: args.Int("iterations", 20), Threads: threads);
        if (Models.ModelRegistry.Problem(s.Family, s.Size) is { } problem) throw new UserError(problem);
        if (ranks is not null) return CompareWorldSizes(s, ranks);
        if (args.Flag("json") || MpiLaunch.FromEnvironment().IsMpi) return RankedRun.Run(world => MeasureWorld(s, world, args.Flag("json")));
        var r = TrainBenchmark.Run(s);
        var inv = CultureInfo.InvariantCulture;
        Console.Out.WriteLine($"TorchSharp {s.Family}/{s.Size}: {r.Parameters:N0} parameters, batch {s.Episodes} episodes × {s.Steps} steps = {r.SamplesPerStep} samples, {s.Threads} threads, {s.Iterations} timed iterations");
        Console.Out.WriteLine(string.Create(inv, $"  step {r.StepSeconds * 1000:0.0} ms = data {r.DataSeconds * 1000:0.0} + forward {r.ForwardSeconds * 1000:0.0} + backward {r.BackwardSeconds * 1000:0.0} + optimizer {r.OptimizerSeconds * 1000:0.0} ms"));
        Console.Out.WriteLine(string.Create(inv, $"  {r.SamplesPerSecond:0} samples/s; matmul FLOPs {r.MatmulFlopsPerSample / 1e6:0.00} M/sample forward; achieved {r.AchievedFlopsPerSecond / 1e9:0.00} GFLOP/s (fwd+bwd ≈ 3× fwd matmuls, element-wise ops not counted)"));

        string? python = args.Option("python") ?? new[] { "python3", "/usr/bin/python3" }.FirstOrDefault(HasTorch);
        if (python is null)
        {
            Console.Out.WriteLine("  PyTorch peer skipped: no python3 with torch found (pass --python)");
            return ExitCodes.Ok;
        }
        if (python == "none" || s.Family != "transformer")
        {
            if (s.Family != "transformer") Console.Out.WriteLine("  (the PyTorch peer implements the transformer family only)");
            return ExitCodes.Ok;
        }
        var peer = RunPeer(python, s);
        if (peer is null) return ExitCodes.Ok;
        double peerStep = peer.Value.GetProperty("step_s").GetDouble();
        Console.Out.WriteLine($"PyTorch {peer.Value.GetProperty("torch").GetString()} eager (BLAS: {peer.Value.GetProperty("blas").GetString()}), same model and batch, {peer.Value.GetProperty("threads").GetInt32()} threads, {peer.Value.GetProperty("parameters").GetInt64():N0} parameters:");
        Console.Out.WriteLine(string.Create(inv, $"  step {peerStep * 1000:0.0} ms = data {peer.Value.GetProperty("data_s").GetDouble() * 1000:0.0} + forward {peer.Value.GetProperty("forward_s").GetDouble() * 1000:0.0} + backward {peer.Value.GetProperty("backward_s").GetDouble() * 1000:0.0} + optimizer {peer.Value.GetProperty("optimizer_s").GetDouble() * 1000:0.0} ms; {r.SamplesPerStep / peerStep:0} samples/s"));
        Console.Out.WriteLine(string.Create(inv, $"ratio: TorchSharp step time / PyTorch step time = {r.StepSeconds / peerStep:0.00} (above 1: TorchSharp slower)"));
        Console.Out.WriteLine("  (the peer runs whatever torch that python has: a different libtorch version and BLAS than TorchSharp's bundled one, so the ratio compares installations, not only the bindings)");
        return ExitCodes.Ok;
    }

    /// <summary>Every rank measures; rank 0 prints the world's figures.</summary>
    private static int MeasureWorld(TrainBenchmarkSettings s, ICollective world, bool json)
    {
        var figures = ScalingBenchmark.Measure(s, world, Console.Error);
        if (!world.IsRoot) return ExitCodes.Ok;
        if (json) Console.Out.WriteLine(JsonSerializer.Serialize(figures));
        else foreach (var line in ScalingBenchmark.Describe([figures])) Console.Out.WriteLine(line);
        return ExitCodes.Ok;
    }

    private static int CompareWorldSizes(TrainBenchmarkSettings s, IReadOnlyList<int> ranks)
    {
        string[] bench = [.. MpiRun.Self(), "bench", "train", "--family", s.Family, "--size", s.Size, "--episodes", $"{s.Episodes}", "--steps", $"{s.Steps}",
            "--iterations", $"{s.Iterations}", "--threads", $"{s.Threads}", "--json"];
        var figures = ScalingBenchmark.Compare(ranks, bench, line => Console.Error.WriteLine($"running: {line}"));
        var first = figures[0];
        Console.Out.WriteLine($"TorchSharp {s.Family}/{s.Size}: {first.Parameters:N0} parameters ({first.Parameters * 4:N0} bytes of gradients summed per step), " +
                              $"{s.Episodes} episodes × {s.Steps} steps = {first.SamplesPerRankStep} samples per rank and step (weak scaling), " +
                              $"{s.Threads} torch thread(s) per rank, {s.Iterations} timed iterations; {first.Transport}, mpirun --bind-to none; " +
                              $"this machine: {Environment.ProcessorCount} cores");
        foreach (var line in ScalingBenchmark.Describe(figures)) Console.Out.WriteLine(line);
        Console.Out.WriteLine("  scaling efficiency = total samples/s at N ranks ÷ (N × samples/s at 1 rank); 1.00 is linear scaling. " +
                              "Waiting (a barrier before the all-reduce) measures load imbalance and other work on the machine.");
        return ExitCodes.Ok;
    }

    private static IReadOnlyList<int> ParseRanks(string list)
    {
        var ranks = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(x => int.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 ? n
                : throw new UserError($"--ranks: '{x}' is not a positive whole number (expected a list such as 1,2)"))
            .ToList();
        return ranks.Count > 0 ? ranks : throw new UserError("--ranks: expected a list of world sizes such as 1,2");
    }

    private static bool HasTorch(string python)
    {
        try
        {
            var info = new ProcessStartInfo(python, ["-c", "import torch"]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            using var p = Process.Start(info)!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static JsonElement? RunPeer(string python, TrainBenchmarkSettings s)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "bench", "train_peer.py");
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { script, "--size", s.Size, "--episodes", $"{s.Episodes}", "--steps", $"{s.Steps}", "--mission-length", $"{s.MissionLength}",
                     "--iterations", $"{s.Iterations}", "--warmup", $"{s.Warmup}", "--threads", $"{s.Threads}" })
            info.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(info)!;
            string output = p.StandardOutput.ReadToEnd();
            string error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                Console.Out.WriteLine($"  PyTorch peer failed (exit {p.ExitCode}): {error.Trim()}");
                return null;
            }
            return JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement.Clone();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Console.Out.WriteLine($"  PyTorch peer skipped: '{python}' not found");
            return null;
        }
    }
}
