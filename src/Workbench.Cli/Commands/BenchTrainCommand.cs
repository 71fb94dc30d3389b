using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Workbench.Training;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench bench train</c>: times BC training steps of a model on CPU (samples/s, step-time split, achieved matmul
/// FLOP/s) and runs the same model and batch in PyTorch eager (bench/train_peer.py) with the same thread count.
/// </summary>
public sealed class BenchTrainCommand : ICommand
{
    private readonly Option<string> _family = Declare.Text("--family", "model family", "transformer", "NAME").Suggesting(() => Models.ModelArchitectures.FamilyNames);
    private readonly Option<string> _size = Declare.Text("--size", "size preset", "tiny", "SIZE")
        .Suggesting(() => Models.ModelArchitectures.All.Select(m => m.Size).Distinct());
    private readonly Option<int> _episodes = Declare.Number("--episodes", "episodes per batch", 16, "N");
    private readonly Option<int> _steps = Declare.Number("--steps", "steps per episode (fixed length)", 16, "N");
    private readonly Option<int> _iterations = Declare.Number("--iterations", "timed iterations", 20, "N");
    private readonly Option<int> _threads = Declare.Number("--threads", "torch threads (both sides)", 2, "N");
    private readonly Option<string?> _python = Declare.OptionalText("--python",
        "python with torch for the peer (default: the first of python3, /usr/bin/python3 that imports torch); 'none' skips it", "EXE");

    public string Name => "bench train";
    public string Summary => "Benchmark training steps (samples/s, time split, FLOP/s) against a PyTorch eager peer";
    public IReadOnlyList<Symbol> Parameters => [_family, _size, _episodes, _steps, _iterations, _threads, _python];

    public int Run(ParseResult parse, CliContext cli)
    {
        var s = new TrainBenchmarkSettings(parse.GetValue(_family)!, parse.GetValue(_size)!, parse.GetValue(_episodes), parse.GetValue(_steps),
            Iterations: parse.GetValue(_iterations), Threads: parse.GetValue(_threads));
        if (Models.ModelArchitectures.Problem(s.Family, s.Size) is { } problem) throw new UserError(problem);
        var r = TrainBenchmark.Run(s);
        var inv = CultureInfo.InvariantCulture;
        cli.Out.WriteLine($"TorchSharp {s.Family}/{s.Size}: {r.Parameters:N0} parameters, batch {s.Episodes} episodes × {s.Steps} steps = {r.SamplesPerStep} samples, {s.Threads} threads, {s.Iterations} timed iterations");
        cli.Out.WriteLine(string.Create(inv, $"  step {r.StepSeconds * 1000:0.0} ms = data {r.DataSeconds * 1000:0.0} + forward {r.ForwardSeconds * 1000:0.0} + backward {r.BackwardSeconds * 1000:0.0} + optimizer {r.OptimizerSeconds * 1000:0.0} ms"));
        cli.Out.WriteLine(string.Create(inv, $"  {r.SamplesPerSecond:0} samples/s; matmul FLOPs {r.MatmulFlopsPerSample / 1e6:0.00} M/sample forward; achieved {r.AchievedFlopsPerSecond / 1e9:0.00} GFLOP/s (fwd+bwd ≈ 3× fwd matmuls, element-wise ops not counted)"));

        string? python = parse.GetValue(_python) ?? new[] { "python3", "/usr/bin/python3" }.FirstOrDefault(HasTorch);
        if (python is null)
        {
            cli.Out.WriteLine("  PyTorch peer skipped: no python3 with torch found (pass --python)");
            return ExitCodes.Ok;
        }
        if (python == "none" || s.Family != "transformer")
        {
            if (s.Family != "transformer") cli.Out.WriteLine("  (the PyTorch peer implements the transformer family only)");
            return ExitCodes.Ok;
        }
        var peer = RunPeer(python, s, cli.Out);
        if (peer is null) return ExitCodes.Ok;
        double peerStep = peer.Value.GetProperty("step_s").GetDouble();
        cli.Out.WriteLine($"PyTorch {peer.Value.GetProperty("torch").GetString()} eager (BLAS: {peer.Value.GetProperty("blas").GetString()}), same model and batch, {peer.Value.GetProperty("threads").GetInt32()} threads, {peer.Value.GetProperty("parameters").GetInt64():N0} parameters:");
        cli.Out.WriteLine(string.Create(inv, $"  step {peerStep * 1000:0.0} ms = data {peer.Value.GetProperty("data_s").GetDouble() * 1000:0.0} + forward {peer.Value.GetProperty("forward_s").GetDouble() * 1000:0.0} + backward {peer.Value.GetProperty("backward_s").GetDouble() * 1000:0.0} + optimizer {peer.Value.GetProperty("optimizer_s").GetDouble() * 1000:0.0} ms; {r.SamplesPerStep / peerStep:0} samples/s"));
        cli.Out.WriteLine(string.Create(inv, $"ratio: TorchSharp step time / PyTorch step time = {r.StepSeconds / peerStep:0.00} (above 1: TorchSharp slower)"));
        cli.Out.WriteLine("  (the peer runs whatever torch that python has: a different libtorch version and BLAS than TorchSharp's bundled one, so the ratio compares installations, not only the bindings)");
        return ExitCodes.Ok;
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

    private static JsonElement? RunPeer(string python, TrainBenchmarkSettings s, TextWriter log)
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
                log.WriteLine($"  PyTorch peer failed (exit {p.ExitCode}): {error.Trim()}");
                return null;
            }
            return JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement.Clone();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            log.WriteLine($"  PyTorch peer skipped: '{python}' not found");
            return null;
        }
    }
}
