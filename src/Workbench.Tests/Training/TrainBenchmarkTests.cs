using Workbench.Data;
using Workbench.Training;

namespace Workbench.Tests.Training;

/// <summary>
/// What <c>workbench bench train</c> reports is consistent with what it ran (no speed is asserted: speed is measured by
/// the bench command, never by tests), and its PyTorch peer is the same model: it counts the same parameters and
/// trains on the very batch the TorchSharp side wrote.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class TrainBenchmarkTests
{
    public TrainBenchmarkTests() => TestSupport.SingleThread();

    private static readonly TrainBenchmarkSettings Tiny = new(Episodes: 3, Steps: 4, Iterations: 2, Warmup: 1, Threads: 1);

    [Fact]
    public void The_step_split_samples_flops_and_matmul_peak_describe_the_run()
    {
        var r = TrainBenchmark.Run(Tiny);
        Assert.Equal(12, r.SamplesPerStep);
        Assert.All(new[] { r.DataSeconds, r.ForwardSeconds, r.BackwardSeconds, r.OptimizerSeconds }, t => Assert.True(t > 0));
        Assert.True(r.BatchSeconds <= r.DataSeconds);
        Assert.Equal(r.DataSeconds + r.ForwardSeconds + r.BackwardSeconds + r.WaitSeconds + r.AllReduceSeconds + r.OptimizerSeconds, r.StepSeconds, 12);
        Assert.True(r.ForwardFlopsPerSample > 1e5, $"{r.ForwardFlopsPerSample} FLOPs per sample");
        Assert.True(r.PeakFlopsPerSecond > 1e8 && r.FractionOfPeak is > 0 and < 1, $"peak {r.PeakFlopsPerSecond}, fraction {r.FractionOfPeak}");
        Assert.Contains("of the step", r.Format());
        Assert.Contains("fp32 matmul 1024×1024", r.Format());
    }

    [Fact]
    public void Batches_can_stream_from_a_dataset_through_the_loader_and_a_wrong_modality_is_refused()
    {
        string dir = TestSupport.TempDir();
        using (var writer = new DemonstrationWriter(dir)) { foreach (var e in TestSupport.Demos(12, 1)) writer.Add(e); writer.Complete(); }
        var r = TrainBenchmark.Run(Tiny with { DataPath = dir });
        Assert.True(r.SamplesPerStep > 0);
        Assert.Contains($"streamed from {dir}", r.Format());
        // A model reading other observations than the dataset holds is refused before any step (the model itself
        // refuses first when its family does not read that modality at all).
        var error = Assert.Throws<UserError>(() => TrainBenchmark.Run(Tiny with { DataPath = dir, Observation = Workbench.Envs.ObservationSpec.Rgb(8) }));
        Assert.Contains("rgb", error.Message);
    }

    [PeerFact]
    public void The_PyTorch_peer_is_the_same_model_trained_on_the_same_batch()
    {
        string batch = TestSupport.TempDir();
        var ours = TrainBenchmark.Run(Tiny, batchFolder: batch);
        var peer = PyTorchPeer.Run(PyTorchPeer.Find(null)!, Tiny, batch, out string? why);
        Assert.True(peer is not null, why);
        Assert.Equal(ours.Parameters, peer.Parameters);
        Assert.Equal(ours.SamplesPerStep, peer.Samples);
        Assert.Contains("ratio: TorchSharp samples/s / PyTorch samples/s", PyTorchPeer.Format(peer, ours));
    }
}

/// <summary>A fact skipped, with the reason shown, when no python with torch is installed (Debian: python3-torch).</summary>
public sealed class PeerFactAttribute : FactAttribute
{
    public PeerFactAttribute()
    {
        if (PyTorchPeer.Find(null) is null) Skip = "no python3 with torch (install the Debian package python3-torch)";
    }
}
