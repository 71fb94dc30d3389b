using System.Diagnostics;
using TorchSharp;
using Workbench.Distributed;
using Workbench.Models;
using static TorchSharp.torch;

namespace Workbench.Training;

/// <summary>Settings of one training benchmark: model, batch shape (episodes × steps × mission words), steps, threads.</summary>
public sealed record TrainBenchmarkSettings(string Family = "transformer", string Size = "tiny", int Episodes = 16, int Steps = 16,
    int MissionLength = 5, int Iterations = 20, int Warmup = 3, int Threads = 2, long Seed = 1);

/// <summary>Measured step times (seconds, means over the timed iterations) and derived rates.</summary>
/// <param name="WaitSeconds">On several ranks: waiting at a barrier for the slowest rank before the all-reduce.</param>
/// <param name="AllReduceSeconds">Summing the gradients over the ranks once all have arrived (0 for one process).</param>
public sealed record TrainBenchmarkResult(TrainBenchmarkSettings Settings, long Parameters, double DataSeconds, double ForwardSeconds,
    double BackwardSeconds, double OptimizerSeconds, double MatmulFlopsPerSample, double WaitSeconds = 0, double AllReduceSeconds = 0)
{
    public double StepSeconds => DataSeconds + ForwardSeconds + BackwardSeconds + WaitSeconds + AllReduceSeconds + OptimizerSeconds;
    public double AllReduceShare => AllReduceSeconds / StepSeconds;
    public int SamplesPerStep => Settings.Episodes * Settings.Steps;
    public double SamplesPerSecond => SamplesPerStep / StepSeconds;
    /// <summary>Matmul FLOPs of forward + backward (backward ≈ 2 × forward) per second of the whole step.</summary>
    public double AchievedFlopsPerSecond => 3 * MatmulFlopsPerSample * SamplesPerStep / StepSeconds;
}

/// <summary>
/// Times the BC training step (data → forward → backward → AdamW) on random observations of a fixed shape, the same
/// shapes the PyTorch peer script uses. "Data" is building the padded tensors from episode records (what the
/// recipe's data wait measures, minus disk I/O). FLOPs are counted analytically from the matmuls (see
/// <see cref="MatmulFlopsPerSample"/>); element-wise ops are not counted.
/// On several ranks (<paramref name="world"/>) each rank times its own batch of <c>Episodes</c> (weak scaling) and the
/// gradients are summed over the ranks after backward, as in data-parallel training.
/// </summary>
public static class TrainBenchmark
{
    public static TrainBenchmarkResult Run(TrainBenchmarkSettings s, ICollective? world = null)
    {
        world ??= SingleProcess.Instance;
        torch.set_num_threads(s.Threads);
        torch.manual_seed(s.Seed);
        var spec = new ModelSpec(s.Family, s.Size, VocabSize: 64, MaxMissionLength: Math.Max(16, s.MissionLength));
        using var model = ModelArchitectures.Create(spec);
        model.Module.train();
        var parameters = model.Module.parameters().ToList();
        using var optimizer = optim.AdamW(parameters, lr: 1e-3, weight_decay: 0.01);
        world.BroadcastTensors(parameters.Select(p => (Tensor)p).ToList()); // one model on every rank
        var rng = world.Rank == 0 ? new Runtime.Rng((ulong)s.Seed) : Runtime.Rng.Derive((ulong)s.Seed, (ulong)world.Rank); // each rank its own batch
        var episodes = Enumerable.Range(0, s.Episodes).Select(i => RandomEpisode(rng, i, s.Steps, s.MissionLength)).ToList();

        double data = 0, forward = 0, backward = 0, wait = 0, reduce = 0, opt = 0;
        world.Barrier(); // the ranks start timing together
        for (int i = 0; i < s.Warmup + s.Iterations; i++)
        {
            using var scope = NewDisposeScope();
            bool timed = i >= s.Warmup;
            long t0 = Stopwatch.GetTimestamp();
            var (sequence, actions) = EpisodeBatcher.Build(episodes, spec.Input, spec.MaxMissionLength, CPU);
            long t1 = Stopwatch.GetTimestamp();
            optimizer.zero_grad();
            var (loss, _) = BehaviourCloningRecipe.SummedLoss(model, sequence, actions);
            var mean = loss / (s.Episodes * s.Steps);
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
            forward += Stopwatch.GetElapsedTime(t1, t2).TotalSeconds;
            backward += Stopwatch.GetElapsedTime(t2, t3).TotalSeconds;
            wait += Stopwatch.GetElapsedTime(t3, t3b).TotalSeconds;
            reduce += Stopwatch.GetElapsedTime(t3b, t4).TotalSeconds;
            opt += Stopwatch.GetElapsedTime(t4, t5).TotalSeconds;
        }
        int n = s.Iterations;
        return new TrainBenchmarkResult(s, parameters.Sum(p => p.numel()), data / n, forward / n, backward / n, opt / n,
            MatmulFlopsPerSample(model, s.MissionLength), wait / n, reduce / n);
    }

    /// <summary>
    /// Forward matmul FLOPs (2 · m · n · k per matmul) for one step of one episode. Transformer: per block
    /// qkv 2·S·D·3D, scores 2·S·S·D, weighted values 2·S·S·D, projection 2·S·D·D, MLP 2·2·S·D·rD; GRU 2·(3D·D + 3D·D);
    /// head 2·D·7; with S = 51 + L tokens. FiLM: convolutions 2·49·C·C·9 each, FiLM linears, LSTM, actor.
    /// </summary>
    public static double MatmulFlopsPerSample(IAgentModel model, int missionLength)
    {
        switch (model)
        {
            case TransformerAgent t:
            {
                double d = t.Dim, s = 51 + missionLength;
                int layers = t.Module.named_modules().Count(m => m.module is FusionBlock);
                double ratio = Finetuning.LoraLayers(t).First(l => l.Name.EndsWith("fc1", StringComparison.Ordinal)).Layer.OutFeatures / d;
                double block = 2 * s * d * 3 * d + 2 * s * s * d * 2 + 2 * s * d * d + 2 * 2 * s * d * ratio * d;
                return layers * block + 2 * (3 * d * d + 3 * d * d) + 2 * d * AgentObs.Actions;
            }
            default:
            {
                // Every conv and linear/recurrent weight used once per step: 2 · weights · positions.
                double total = 0;
                foreach (var (name, p) in model.Module.named_parameters())
                {
                    if (!name.EndsWith("weight", StringComparison.Ordinal) && !name.Contains("weight_", StringComparison.Ordinal)) continue;
                    if (name.Contains("emb", StringComparison.Ordinal)) continue; // lookups, not matmuls
                    double positions = p.dim() == 4 ? AgentObs.View * AgentObs.View : name.StartsWith("instr", StringComparison.Ordinal) ? missionLength : 1;
                    total += 2 * p.numel() * positions;
                }
                return total;
            }
        }
    }

    private static Data.DemoEpisode RandomEpisode(Runtime.Rng rng, int id, int steps, int missionLength)
    {
        string[] words = ["go", "to", "the", "red", "ball", "grey", "key", "pick", "up", "open"];
        string mission = string.Join(' ', Enumerable.Range(0, missionLength).Select(_ => words[rng.NextInt(words.Length)]));
        var demo = new Data.DemoStep[steps];
        for (int t = 0; t < steps; t++)
        {
            var obs = new byte[AgentObs.GridBytes];
            for (int k = 0; k < obs.Length; k += 3)
                (obs[k], obs[k + 1], obs[k + 2]) = ((byte)rng.NextInt(AgentObs.Objects), (byte)rng.NextInt(AgentObs.Colours), (byte)rng.NextInt(AgentObs.States));
            demo[t] = new Data.DemoStep(t, rng.NextInt(4), obs, rng.NextInt(AgentObs.Actions), 0, t == steps - 1);
        }
        return new Data.DemoEpisode(id, "random", id, mission, demo);
    }
}
