using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Workbench.Envs;
using Workbench.Models;
using static TorchSharp.torch;

namespace Workbench.Training;

/// <summary>What the PyTorch peer measured (seconds per step, means over its timed iterations).</summary>
public sealed record PeerResult(string Torch, string Blas, int Threads, long Parameters, double DataSeconds, double ForwardSeconds,
    double BackwardSeconds, double OptimizerSeconds, double StepSeconds, double Samples)
{
    public double SamplesPerSecond => Samples / StepSeconds;
}

/// <summary>
/// The peer of <c>workbench bench train</c>: the same transformer agent written in PyTorch eager (<c>bench/train_peer.py</c>,
/// symbolic or pixel input), trained on the very batch the TorchSharp side wrote (<see cref="WriteBatch"/>) with the same
/// loss, AdamW, clipping and thread count, timed the same way. It runs whatever torch the chosen python has — another
/// libtorch build and BLAS than TorchSharp's bundled one — so the ratio compares installations, not only bindings.
/// </summary>
public static class PyTorchPeer
{
    /// <summary>Families the peer script implements.</summary>
    public static readonly IReadOnlySet<string> Families = new HashSet<string> { "transformer" };

    /// <summary>The python to use: <paramref name="python"/> if given (null when it is "none"), else the first of python3,
    /// /usr/bin/python3 that imports torch, else null.</summary>
    public static string? Find(string? python)
    {
        if (python == "none") return null;
        if (python != null) return python;
        return new[] { "python3", "/usr/bin/python3" }.FirstOrDefault(HasTorch);
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

    /// <summary>Writes a batch as raw little-endian arrays plus <c>batch.json</c> (shapes) for the peer to load.</summary>
    public static void WriteBatch(string folder, AgentSequence sequence, Tensor actions)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "obs.bin"), sequence.Obs.contiguous().data<byte>().ToArray());
        File.WriteAllBytes(Path.Combine(folder, "direction.bin"), Bytes(sequence.Direction));
        File.WriteAllBytes(Path.Combine(folder, "mission.bin"), Bytes(sequence.Mission));
        File.WriteAllBytes(Path.Combine(folder, "actions.bin"), Bytes(actions));
        File.WriteAllBytes(Path.Combine(folder, "mask.bin"), sequence.Mask.to_type(ScalarType.Byte).data<byte>().ToArray());
        File.WriteAllText(Path.Combine(folder, "batch.json"), JsonSerializer.Serialize(new { obs = sequence.Obs.shape, mission = sequence.Mission.shape }));

        static byte[] Bytes(Tensor t) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.contiguous().data<long>().ToArray().AsSpan()).ToArray();
    }

    /// <summary>Runs the peer on the batch in <paramref name="batchFolder"/>; null (with the reason in <paramref name="why"/>) when it cannot run.</summary>
    public static PeerResult? Run(string python, TrainBenchmarkSettings s, string batchFolder, out string? why)
    {
        why = null;
        if (!Families.Contains(s.Family))
        {
            why = $"the PyTorch peer implements the {string.Join(", ", Families)} family only";
            return null;
        }
        string script = Path.Combine(AppContext.BaseDirectory, "bench", "train_peer.py");
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { script, "--size", s.Size, "--batch", batchFolder, "--vocab", $"{MissionVocabulary.Size}",
                     "--tile", $"{(s.Input.IsPixels ? s.Input.TileSize : 0)}", "--iterations", $"{s.Iterations}", "--warmup", $"{s.Warmup}", "--threads", $"{s.Threads}" })
            info.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(info)!;
            var error = p.StandardError.ReadToEndAsync();
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                why = $"PyTorch peer failed (exit {p.ExitCode}): {error.Result.Trim()}";
                return null;
            }
            var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
            double D(string key) => json.GetProperty(key).GetDouble();
            return new PeerResult(json.GetProperty("torch").GetString()!, json.GetProperty("blas").GetString()!, json.GetProperty("threads").GetInt32(),
                json.GetProperty("parameters").GetInt64(), D("data_s"), D("forward_s"), D("backward_s"), D("optimizer_s"), D("step_s"), D("samples"));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            why = $"PyTorch peer skipped: '{python}' not found";
            return null;
        }
    }

    /// <summary>The peer's lines and the ratio to the TorchSharp run.</summary>
    public static string Format(PeerResult peer, TrainBenchmarkResult ours)
    {
        var inv = CultureInfo.InvariantCulture;
        return string.Create(inv,
            $"PyTorch {peer.Torch} eager (BLAS: {peer.Blas}), same model and the same batch, {peer.Threads} threads, {peer.Parameters:N0} parameters:\n" +
            $"  step {peer.StepSeconds * 1000:0.0} ms = data {peer.DataSeconds * 1000:0.00} + forward {peer.ForwardSeconds * 1000:0.0} + backward {peer.BackwardSeconds * 1000:0.0} " +
            $"+ optimizer {peer.OptimizerSeconds * 1000:0.0} ms; {peer.SamplesPerSecond:0} samples/s; achieved {3 * ours.ForwardFlopsPerSample * peer.SamplesPerSecond / 1e9:0.00} GFLOP/s " +
            $"= {3 * ours.ForwardFlopsPerSample * peer.SamplesPerSecond / ours.PeakFlopsPerSecond:P1} of the matmul peak\n" +
            $"ratio: TorchSharp samples/s / PyTorch samples/s = {ours.SamplesPerSecond / peer.SamplesPerSecond:0.00} (below 1: TorchSharp slower); " +
            $"compute only (forward + backward + optimizer, per sample): {(peer.StepSeconds - peer.DataSeconds) / peer.Samples / ((ours.StepSeconds - ours.DataSeconds) / ours.SamplesPerStep):0.00}\n");
    }
}
