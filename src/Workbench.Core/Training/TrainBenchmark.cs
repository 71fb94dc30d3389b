using System.Diagnostics;
using System.Globalization;
using System.Text;
using TorchSharp;
using Workbench.Data;
using Workbench.Distributed;
using Workbench.Envs;
using Workbench.Models;
using static TorchSharp.torch;

namespace Workbench.Training;

/// <summary>
/// Settings of one training benchmark: model and the observation it reads, batch shape (episodes × steps × mission
/// words) and, with <see cref="DataPath"/>, a dataset streamed through the loader instead of random episodes.
/// </summary>
/// <param name="DataPath">Parquet dataset (file, folder, glob) whose episodes feed the steps through <see cref="StreamingLoader"/>;
/// null = random episodes of exactly <see cref="Steps"/> steps.</param>
public sealed record TrainBenchmarkSettings(string Family = "transformer", string Size = "tiny", int Episodes = 16, int Steps = 16,
    int MissionLength = 5, int Iterations = 20, int Warmup = 3, int Threads = 2, long Seed = 1, ObservationSpec? Observation = null,
    string? DataPath = null)
{
    public ObservationSpec Input => Observation ?? ObservationSpec.Symbolic;
}

/// <summary>
/// Measured step times (seconds, means over the timed iterations), the model's FLOPs and the hardware reference.
/// <see cref="DataSeconds"/> is what the step waits for its batch: the loader's <c>Next()</c> calls (with a dataset) plus
/// building the uint8 batch tensors (<see cref="BatchSeconds"/> of it).
/// </summary>
/// <param name="WaitSeconds">On several ranks: waiting at a barrier for the slowest rank before the all-reduce.</param>
/// <param name="AllReduceSeconds">Summing the gradients over the ranks once all have arrived (0 for one process).</param>
public sealed record TrainBenchmarkResult(TrainBenchmarkSettings Settings, long Parameters, double DataSeconds, double BatchSeconds,
    double ForwardSeconds, double BackwardSeconds, double OptimizerSeconds, double SamplesPerStep, double ForwardFlopsPerSample,
    double PeakFlopsPerSecond, int PeakMatmulSize, string LoadAverage, double WaitSeconds = 0, double AllReduceSeconds = 0)
{
    public double StepSeconds => DataSeconds + ForwardSeconds + BackwardSeconds + WaitSeconds + AllReduceSeconds + OptimizerSeconds;
    public double AllReduceShare => AllReduceSeconds / StepSeconds;
    public double SamplesPerSecond => SamplesPerStep / StepSeconds;
    public double DataFraction => DataSeconds / StepSeconds;

    /// <summary>Forward + backward FLOPs (backward ≈ 2 × forward) per second of the whole step.</summary>
    public double AchievedFlopsPerSecond => 3 * ForwardFlopsPerSample * SamplesPerStep / StepSeconds;

    public double FractionOfPeak => AchievedFlopsPerSecond / PeakFlopsPerSecond;

    public string Format()
    {
        var s = Settings;
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(string.Create(inv, $"TorchSharp {s.Family}/{s.Size} reading {s.Input.Describe()}: {Parameters:N0} parameters, batch {s.Episodes} episodes " +
                                           $"({(s.DataPath is null ? $"random, {s.Steps} steps each" : $"streamed from {s.DataPath}")}) = {SamplesPerStep:0.#} samples per step, " +
                                           $"{s.Threads} threads, {s.Iterations} timed iterations; {Environment.ProcessorCount} cores, load average {LoadAverage}"));
        text.AppendLine(string.Create(inv, $"  step {StepSeconds * 1000:0.0} ms = data {DataSeconds * 1000:0.00} (of which batching {BatchSeconds * 1000:0.00}) + forward {ForwardSeconds * 1000:0.0} " +
                                           $"+ backward {BackwardSeconds * 1000:0.0} + optimizer {OptimizerSeconds * 1000:0.0} ms; data wait {DataFraction:P1} of the step"));
        text.AppendLine(string.Create(inv, $"  {SamplesPerSecond:0} samples/s; model {ForwardFlopsPerSample / 1e6:0.000} MFLOP/sample forward (Models.FlopCounter, as flops_per_action); " +
                                           $"achieved {AchievedFlopsPerSecond / 1e9:0.00} GFLOP/s (fwd + bwd = 3 × fwd)"));
        text.AppendLine(string.Create(inv, $"  hardware: fp32 matmul {PeakMatmulSize}×{PeakMatmulSize} on {s.Threads} threads reaches {PeakFlopsPerSecond / 1e9:0.0} GFLOP/s " +
                                           $"in this run; training achieves {FractionOfPeak:P1} of it"));
        return text.ToString();
    }
}

/// <summary>
/// Times the BC training step (data → forward → backward → AdamW) as the recipe runs it, on CPU: random episodes of a fixed
/// shape, or a dataset streamed through the loader (then "data" includes waiting for the loader). Reports FLOPs from
/// <see cref="FlopCounter"/> against the measured throughput of a large fp32 matmul on the same threads in the same run
/// — the distance to the hardware limit — and writes the first batch for the PyTorch peer (<see cref="PyTorchPeer"/>).
/// On several ranks (<paramref name="world"/>) each rank times its own batch of <c>Episodes</c> (weak scaling: random
/// episodes drawn per rank, or the rank's shard of the dataset) and the gradients are summed over the ranks after backward,
/// as in data-parallel training.
/// </summary>
public static class TrainBenchmark
{
    public static TrainBenchmarkResult Run(TrainBenchmarkSettings s, ICollective? world = null, string? batchFolder = null)
    {
        world ??= SingleProcess.Instance;
        if (s.Episodes < 1 || s.Steps < 1 || s.Iterations < 1 || s.Warmup < 0 || s.Threads < 1 || s.MissionLength < 1)
            throw new UserError("bench train: episodes, steps, iterations, threads and mission length must be >= 1 (warm-up >= 0)");
        torch.set_num_threads(s.Threads);
        torch.manual_seed(s.Seed);
        // The mission table is as long as the benchmark's missions, so FLOPs per action (at the longest mission) equal
        // FLOPs per training sample.
        var spec = new ModelSpec(s.Family, s.Size, VocabSize: MissionVocabulary.Size, MaxMissionLength: s.MissionLength, Observation: s.Observation);
        using var model = ModelArchitectures.Create(spec);
        model.Module.train();
        var parameters = model.Module.parameters().ToList();
        using var optimizer = optim.AdamW(parameters, lr: 1e-3, weight_decay: 0.01);
        world.BroadcastTensors(parameters.Select(p => (Tensor)p).ToList()); // one model on every rank
        using var source = Source(s, world);

        double data = 0, batching = 0, forward = 0, backward = 0, wait = 0, reduce = 0, opt = 0, samples = 0;
        world.Barrier(); // the ranks start timing together
        for (int i = 0; i < s.Warmup + s.Iterations; i++)
        {
            using var scope = NewDisposeScope();
            bool timed = i >= s.Warmup;
            long t0 = Stopwatch.GetTimestamp();
            var episodes = source.Next(s.Episodes);
            long tb = Stopwatch.GetTimestamp();
            var (sequence, actions) = EpisodeBatcher.Build(episodes, spec.Input, spec.MaxMissionLength, CPU);
            long t1 = Stopwatch.GetTimestamp();
            if (i == s.Warmup && batchFolder != null) PyTorchPeer.WriteBatch(batchFolder, sequence, actions);
            optimizer.zero_grad();
            var (loss, _) = BehaviourCloningRecipe.SummedLoss(model, sequence, actions);
            int real = episodes.Sum(e => e.Steps.Length);
            using Scalar count = real;
            var mean = loss.div(count);
            long t2 = Stopwatch.GetTimestamp();
            mean.backward();
            long t3 = Stopwatch.GetTimestamp();
            if (world.Size > 1) world.Barrier(); // separates waiting for the slowest rank from the all-reduce itself
            long t3b = Stopwatch.GetTimestamp();
            if (world.Size > 1) world.AllReduceSum(parameters.Select(p => p.grad!).ToList());
            long t4 = Stopwatch.GetTimestamp();
            nn.utils.clip_grad_norm_(parameters, 1.0);
            optimizer.step();
            long t5 = Stopwatch.GetTimestamp();
            if (!timed) continue;
            data += Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
            batching += Stopwatch.GetElapsedTime(tb, t1).TotalSeconds;
            forward += Stopwatch.GetElapsedTime(t1, t2).TotalSeconds;
            backward += Stopwatch.GetElapsedTime(t2, t3).TotalSeconds;
            wait += Stopwatch.GetElapsedTime(t3, t3b).TotalSeconds;
            reduce += Stopwatch.GetElapsedTime(t3b, t4).TotalSeconds;
            opt += Stopwatch.GetElapsedTime(t4, t5).TotalSeconds;
            samples += real;
        }
        int n = s.Iterations;
        var (peak, size) = PeakMatmulFlopsPerSecond(s.Threads);
        return new TrainBenchmarkResult(s, parameters.Sum(p => p.numel()), data / n, batching / n, forward / n, backward / n, opt / n, samples / n,
            FlopCounter.PerAction(model), peak, size, Runtime.SelfProcess.LoadAverage(), wait / n, reduce / n);
    }

    /// <summary>
    /// The hardware reference: best FLOP/s of an n×n fp32 matmul (2n³ FLOPs) on <paramref name="threads"/> threads, n = 1024
    /// (large enough for the BLAS kernel to reach its steady rate on a CPU core, small enough to time in a second).
    /// </summary>
    public static (double FlopsPerSecond, int Size) PeakMatmulFlopsPerSecond(int threads, int size = 1024, int rounds = 7)
    {
        torch.set_num_threads(threads);
        using var scope = NewDisposeScope();
        var a = randn(size, size);
        var b = randn(size, size);
        double best = double.MaxValue;
        for (int r = 0; r < rounds + 2; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            using (var c = a.mm(b)) { }
            double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            if (r >= 2) best = Math.Min(best, seconds); // two warm-up rounds (BLAS thread pool, page faults)
        }
        return (2.0 * size * size * size / best, size);
    }

    /// <summary>Where the episodes of the steps come from.</summary>
    private interface IEpisodeSource : IDisposable
    {
        List<DemoEpisode> Next(int count);
    }

    private static IEpisodeSource Source(TrainBenchmarkSettings s, ICollective world)
    {
        if (s.DataPath is null) return new RandomEpisodes(s, world.Rank);
        var loader = StreamingLoader.Open([new LoaderSource(s.DataPath)], new LoaderOptions { Seed = s.Seed, Rank = world.Rank, WorldSize = world.Size });
        try
        {
            var held = loader.Files.SelectMany(f => f).Select(f => f.ObservationSpec).Distinct().ToList();
            if (held.Count != 1 || held[0] != s.Input)
                throw new UserError($"bench train: {s.DataPath} holds {string.Join(", ", held.Select(h => h?.Describe() ?? "unknown"))} observations; " +
                                    $"the model reads {s.Input.Describe()} (set --observation/--tile to match)");
            return new LoaderEpisodes(loader);
        }
        catch
        {
            loader.Dispose();
            throw;
        }
    }

    private sealed class LoaderEpisodes(StreamingLoader loader) : IEpisodeSource
    {
        public List<DemoEpisode> Next(int count) => Enumerable.Range(0, count).Select(_ => loader.Next()).ToList();
        public void Dispose() => loader.Dispose();
    }

    /// <summary>The same random episodes every step (a fixed shape, as the PyTorch peer's); each rank its own.</summary>
    private sealed class RandomEpisodes(TrainBenchmarkSettings s, int rank) : IEpisodeSource
    {
        private readonly List<DemoEpisode> _episodes = Make(s, rank);

        public List<DemoEpisode> Next(int count) => _episodes;
        public void Dispose() { }

        private static List<DemoEpisode> Make(TrainBenchmarkSettings s, int rank)
        {
            var rng = rank == 0 ? new Runtime.Rng((ulong)s.Seed) : Runtime.Rng.Derive((ulong)s.Seed, (ulong)rank);
            string[] words = ["go", "to", "the", "red", "ball", "grey", "key", "pick", "up", "open"];
            return Enumerable.Range(0, s.Episodes).Select(id =>
            {
                string mission = string.Join(' ', Enumerable.Range(0, s.MissionLength).Select(_ => words[rng.NextInt(words.Length)]));
                var steps = new DemoStep[s.Steps];
                for (int t = 0; t < steps.Length; t++)
                {
                    var obs = new byte[s.Input.BytesPerStep];
                    if (s.Input.IsPixels)
                        for (int k = 0; k < obs.Length; k++) obs[k] = (byte)rng.NextInt(256);
                    else
                        for (int k = 0; k < obs.Length; k += 3)
                            (obs[k], obs[k + 1], obs[k + 2]) = ((byte)rng.NextInt(AgentObs.Objects), (byte)rng.NextInt(AgentObs.Colours), (byte)rng.NextInt(AgentObs.States));
                    steps[t] = new DemoStep(t, rng.NextInt(4), obs, rng.NextInt(AgentObs.Actions), 0, t == steps.Length - 1);
                }
                return new DemoEpisode(id, "random", id, mission, steps);
            }).ToList();
        }
    }
}
