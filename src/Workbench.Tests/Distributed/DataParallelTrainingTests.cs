using TorchSharp;
using Workbench.Training;
using static TorchSharp.torch;

namespace Workbench.Tests.Distributed;

/// <summary>
/// Data-parallel training as a user runs it: <c>mpirun -np 2 workbench train</c> (real processes, real Open MPI),
/// compared with one process, killed and resumed, and given bad input.
/// </summary>
[Collection(TorchCollection.Name)]
public class DataParallelTrainingTests
{
    public DataParallelTrainingTests() => TestSupport.SingleThread();

    private static string[] Sets(IEnumerable<string> overrides) => overrides.SelectMany(o => new[] { "--set", o }).ToArray();

    /// <summary>Trains with 2 ranks through the CLI; returns the run directory.</summary>
    private static string TrainOnTwoRanks(string dir, string runs, params string[] overrides)
    {
        var (code, output, error) = Ranks.Run(2, dir, ["train", "experiment.yaml", "--runs", runs, "--quiet", .. Sets(overrides)]);
        Assert.True(code == 0, $"mpirun exit {code}\n{output}\n{error}");
        return Assert.Single(Directory.GetDirectories(Path.Combine(dir, runs, "test")));
    }

    private static Dictionary<string, Tensor> FinalWeights(string runDir)
    {
        using var model = Checkpoint.LoadModel(RunDirectory.Open(runDir).LatestCheckpoint!);
        return TestSupport.Weights(model);
    }

    /// <summary>
    /// Largest |Δw| over all weights except the attention key biases, and over the key biases alone. A key bias adds
    /// the same q·b to every score of a query, which softmax ignores: its exact gradient is 0, the computed one is
    /// rounding noise, and AdamW (g / √v) turns that noise into steps of ±lr — different noise in every run.
    /// </summary>
    private static (double Weights, double KeyBiases) Differences(Dictionary<string, Tensor> a, Dictionary<string, Tensor> b)
    {
        double weights = 0, keyBiases = 0;
        foreach (var (name, w) in a)
        {
            var d = (w - b[name]).abs().flatten();
            if (name.EndsWith("qkv.linear.bias", StringComparison.Ordinal))
            {
                long dim = d.numel() / 3; // (q, k, v) biases; k is the middle third
                keyBiases = Math.Max(keyBiases, d.narrow(0, dim, dim).max().ToDouble());
                d = torch.cat([d.narrow(0, 0, dim), d.narrow(0, 2 * dim, dim)]);
            }
            weights = Math.Max(weights, d.max().ToDouble());
        }
        return (weights, keyBiases);
    }

    private static List<double> TrainLosses(string runDir) =>
        Workbench.Tests.Training.MetricsFile.Read(runDir).Where(r => r.GetProperty("split").GetString() == "train").Select(r => r.GetProperty("loss").GetDouble()).ToList();

    /// <summary>
    /// Tolerance of "the same weights up to floating-point summation order". The data are equal by construction
    /// (split_batches: the two ranks' slices are the one-process batch) and the loss is normalised by the global
    /// batch's real steps, so the gradients differ only in how float32 partial sums are grouped (each rank sums its
    /// half inside the backward matmuls, MPI adds the two halves): relative differences of ~1e-7. An AdamW step
    /// changes a weight by at most ~lr, proportionally to that relative error, so after 8 steps the weights agree to
    /// about one float32 ulp (2.4e-7 at |w| ≈ 3, the largest embeddings); 1e-6 is ~4 ulp. Measured: ≤ 1.2e-7.
    /// The key biases are the exception (see <see cref="Differences"/>): bounded only by Adam's step size.
    /// Training on other batches (the rank_streams control) moves weights by ~lr = 1e-3, ≫ the tolerance.
    /// </summary>
    private const double Tolerance = 1e-6;

    /// <summary>
    /// The test experiment on a Parquet dataset built from a recipe (the streaming loader) instead of in-memory bot demos:
    /// 60 episodes in row groups of about 10.
    /// </summary>
    private static void UseParquetDataset(string dir)
    {
        File.WriteAllText(Path.Combine(dir, "demos.yaml"), $"""
            kind: dataset
            name: demos
            levels: [GoToRedBallGrey]
            episodes: 60
            rows_per_group: 80
            shard_rows: 400
            output: {Path.Combine(dir, "demos")}
            seed: 2
            """);
        string experiment = Path.Combine(dir, "experiment.yaml");
        File.WriteAllText(experiment, File.ReadAllText(experiment).Replace(
            "    - path: bot:GoToRedBallGrey:60", $"    - path: {Path.Combine(dir, "demos", "*.parquet")}\n  build: {Path.Combine(dir, "demos.yaml")}"));
    }

    [MpiTheory]
    [InlineData("bot", 4, 1, true)] // 2 ranks × 2 episodes, and the control
    [InlineData("bot", 8, 2, false)] // 2 ranks × 4 episodes in 2 micro-batches of gradient accumulation
    [InlineData("parquet", 4, 1, false)] // the streaming loader; the 2 ranks start on an unbuilt recipe (rank 0 builds it)
    public void TwoRanksWithHalfBatchesTrainTheWeightsOfOneProcessWithTheWholeBatch(string data, int batch, int accumulation, bool control)
    {
        string dir = TestSupport.TempDir();
        string[] overrides = ["train.steps=8", $"train.batch_size={batch}", $"train.grad_accum_steps={accumulation}", "train.checkpoint_every=4"];
        TestSupport.Experiment(dir); // writes experiment.yaml
        if (data == "parquet") UseParquetDataset(dir);
        string twoRanks = TrainOnTwoRanks(dir, "runs2", overrides);

        Dictionary<string, Tensor> single;
        string singleRun;
        var config = Workbench.Config.ConfigLoader.LoadAs(typeof(ExperimentConfig), Path.Combine(dir, "experiment.yaml"), overrides);
        using (var recipe = BehaviourCloningRecipe.Start(config, TestSupport.Quiet(dir)))
        {
            singleRun = recipe.Train().RunDir;
            single = TestSupport.Weights(recipe.Model);
        }

        var (weights, keyBiases) = Differences(single, FinalWeights(twoRanks));
        Assert.True(weights <= Tolerance, $"2 ranks × {batch / 2} vs 1 × {batch}: max |Δw| = {weights:e2} > {Tolerance:e0}");
        // Adam's step bound (Kingma & Ba 2015, §2.1): |Δ| ≤ lr · (1 − β1) / √(1 − β2) ≈ 3.2 · lr per step and run.
        Assert.True(keyBiases <= 2 * 3.2 * 1e-3 * 8, $"key biases moved apart by {keyBiases:e2}, more than Adam's bound");
        var (losses1, losses2) = (TrainLosses(singleRun), TrainLosses(twoRanks));
        Assert.Equal(8, losses2.Count); // rank 0 alone logs, each step once
        for (int i = 0; i < 8; i++) Assert.True(Math.Abs(losses1[i] - losses2[i]) <= 1e-5, $"step {i + 1}: loss {losses1[i]} vs {losses2[i]}");

        var info = RunDirectory.Open(twoRanks).ReadInfo();
        Assert.Equal(2, info.WorldSize);
        Assert.Equal("completed", info.Status);

        if (!control) return;
        // Control: the same 2-rank run reading disjoint per-rank streams trains on other batches and lands far away.
        string other = TrainOnTwoRanks(dir, "runs2-streams", [.. overrides, "data.sharding=rank_streams"]);
        double apart = Differences(single, FinalWeights(other)).Weights;
        Assert.True(apart > 100 * Tolerance, $"rank_streams should train on other batches, but max |Δw| = {apart:e2}");
    }

    [MpiTheory]
    [InlineData("split_batches")]
    [InlineData("rank_streams")] // every rank's own loader position comes back from the rank-0 checkpoint
    public void ATwoRankRunKilledAfterACheckpointResumesToTheUninterruptedWeights(string sharding)
    {
        string dir = TestSupport.TempDir();
        TestSupport.Experiment(dir); // writes experiment.yaml
        string[] overrides = ["train.steps=20", "train.checkpoint_every=4", "train.eval_every=8", "train.keep_checkpoints=2", $"data.sharding={sharding}"];
        string uninterrupted = TrainOnTwoRanks(dir, "runs-whole", overrides);

        string runs = Path.Combine(dir, "runs-killed");
        using (var mpirun = Ranks.Start(2, dir, [], ["train", "experiment.yaml", "--runs", runs, "--quiet", .. Sets(overrides)]))
        {
            string? killedAt = null;
            for (var wait = System.Diagnostics.Stopwatch.StartNew(); killedAt is null && wait.Elapsed < TimeSpan.FromMinutes(2); Thread.Sleep(10))
            {
                var ckpt = Directory.Exists(runs) ? Directory.GetFiles(runs, "step-0000008.ckpt", SearchOption.AllDirectories).FirstOrDefault() : null;
                if (ckpt is null) continue;
                Ranks.KillAll(mpirun);
                killedAt = ckpt;
            }
            Assert.NotNull(killedAt);
        }
        string runDir = Assert.Single(Directory.GetDirectories(Path.Combine(runs, "test")));
        var info = RunDirectory.Open(runDir).ReadInfo();
        Assert.Equal("running", info.Status); // killed: nobody wrote the end
        Assert.True(TrainLosses(runDir).Count < 20, "the run finished before the kill");

        var (code, output, error) = Ranks.Run(2, dir, ["resume", runDir, "--quiet"]);
        Assert.True(code == 0, $"resume: mpirun exit {code}\n{output}\n{error}");
        TestSupport.AssertBitwiseEqual(FinalWeights(uninterrupted), FinalWeights(runDir));
        Assert.Equal(TrainLosses(uninterrupted), TrainLosses(runDir)); // and every step's loss, each logged once
        Assert.Equal("completed", RunDirectory.Open(runDir).ReadInfo().Status);

        // Each rank's state is in the checkpoint, so one process cannot take the run over.
        var single = Workbench.Tests.Cli.CliRun.Of("resume", runDir, "--quiet").Expect(2);
        Assert.Contains("was written by a run of 2 rank(s) and this one has 1", single.Err);
        Assert.Contains("mpirun -np 2 workbench resume", single.Err);
    }

    [MpiFact]
    public void BadInputStopsEveryRankWithOneMessage()
    {
        string dir = TestSupport.TempDir();
        TestSupport.Experiment(dir);
        // Absolute paths: in an MPMD launch (a : b) --wdir applies to the first program only.
        string[] train = ["train", Path.Combine(dir, "experiment.yaml"), "--runs", Path.Combine(dir, "runs"), "--quiet"];

        AssertOneError(Ranks.Run(2, dir, [.. train, "--set", "train.batch_size=5"]), "train.batch_size: 5 episodes do not split over 2 ranks");
        AssertOneError(Ranks.Run(2, dir, [.. train, "--set", "train.stepz=5"]), "train.stepz: unknown key");
        // Two programs (MPMD): the ranks disagree on the learning rate.
        AssertOneError(Ranks.Run(1, dir, [.. train, "--set", "train.lr=0.001", ":", "-np", "1", Ranks.Workbench, .. train, "--set", "train.lr=0.002"]),
            "the 2 ranks were started with different experiment configs");
        AssertOneError(Ranks.Run(2, dir, ["-x", "WORKBENCH_MPI_LIBRARY=/nonexistent/libmpi.so.40"], train), "apt-get install openmpi-bin");
        Assert.False(Directory.Exists(Path.Combine(dir, "runs")), "a failed start must not create run directories");

        static void AssertOneError((int Code, string Output, string Error) run, string expected)
        {
            Assert.True(run.Code == 2, $"exit {run.Code}\n{run.Output}\n{run.Error}");
            var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Single(lines, l => l.StartsWith("error", StringComparison.Ordinal));
            Assert.Contains(expected, run.Error);
            Assert.DoesNotContain("   at ", run.Error);
        }
    }
}
