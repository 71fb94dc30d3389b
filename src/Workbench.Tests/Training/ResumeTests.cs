using System.Text.Json;
using Workbench.Training;

namespace Workbench.Tests.Training;

/// <summary>A run stopped (or killed) and resumed ends bit-for-bit where the uninterrupted run ends, on CPU.</summary>
[Collection(TorchCollection.Name)]
public class ResumeTests
{
    public ResumeTests() => TestSupport.SingleThread();

    // Rollouts during training draw episode seeds from the checkpointed Rng, so its state is exercised too.
    private static readonly string[] Settings = ["train.rollout.levels=[GoToRedBallGrey]", "train.rollout.episodes=2"];

    private static Dictionary<string, TorchSharp.torch.Tensor> Uninterrupted(string dir)
    {
        using var recipe = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, Settings), TestSupport.Quiet(dir));
        var result = recipe.Train();
        Assert.Equal("completed", result.Status);
        return TestSupport.Weights(recipe.Model);
    }

    [Fact]
    public void StoppedAndResumedRunsEqualTheUninterruptedRunAtSeveralStopPoints()
    {
        string dir = TestSupport.TempDir();
        var expected = Uninterrupted(dir);
        foreach (int stop in new[] { 1, 3, 5 })
        {
            string runDir;
            using (var first = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, Settings), TestSupport.Quiet(dir) with { StopAfterStep = stop }))
            {
                var partial = first.Train();
                Assert.Equal("stopped", partial.Status);
                Assert.Equal(stop, partial.StepsCompleted);
                runDir = partial.RunDir;
            }
            using var resumed = BehaviourCloningRecipe.Resume(runDir, TestSupport.Quiet(dir));
            var result = resumed.Train();
            Assert.Equal("completed", result.Status);
            Assert.Equal(6, result.StepsCompleted);
            TestSupport.AssertBitwiseEqual(expected, TestSupport.Weights(resumed.Model));

            // metrics.jsonl has each train step once, even across the restart.
            var steps = MetricsFile.Read(runDir).Where(r => r.GetProperty("split").GetString() == "train").Select(r => r.GetProperty("step").GetInt32()).ToList();
            Assert.Equal([1, 2, 3, 4, 5, 6], steps);
        }
    }

    [Fact]
    public void AProcessKilledDuringTheFinalEvaluationResumesWithoutLoggingItTwice()
    {
        // The final checkpoint is written before the end-of-run evaluation: a kill after that evaluation was logged but
        // before the run was marked done resumes at the final step and evaluates again — its first records must go.
        string dir = TestSupport.TempDir();
        string runDir;
        using (var first = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, Settings), TestSupport.Quiet(dir)))
            runDir = first.Train().RunDir;
        var before = TensorBoardScalars.Read(runDir);
        Assert.Contains(before, e => e.Tag.StartsWith("val/", StringComparison.Ordinal) && e.Step == 6);

        using (var resumed = BehaviourCloningRecipe.Resume(runDir, TestSupport.Quiet(dir)))
            Assert.Equal("completed", resumed.Train().Status);

        var after = TensorBoardScalars.Read(runDir);
        Assert.Equal(before.Order(), after.Order());
        var finalVal = MetricsFile.Read(runDir).Where(r => r.GetProperty("split").GetString() == "val" && r.GetProperty("step").GetInt32() == 6);
        Assert.Single(finalVal);
        Assert.Equal(6, MetricsFile.Read(runDir).Count(r => r.GetProperty("split").GetString() == "train"));
    }

    [Fact]
    public void AProcessKilledMidStepResumesFromTheLastCheckpointToTheSameWeights()
    {
        string dir = TestSupport.TempDir();
        var expected = Uninterrupted(dir);
        var config = TestSupport.Experiment(dir, [.. Settings, "train.checkpoint_every=2"]);
        string runDir;
        using (var doomed = BehaviourCloningRecipe.Start(config, TestSupport.Quiet(dir) with
               {
                   // Step 5 has run forward and backward (gradients are half-way into the weights' update) when the "kill" comes.
                   AfterBackward = step => { if (step == 5) throw new IOException("simulated kill during step 5"); },
               }))
        {
            runDir = doomed.Run.Path;
            Assert.Throws<IOException>(() => doomed.Train());
        }
        var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "run.json"))).RootElement;
        Assert.Equal("failed", info.GetProperty("status").GetString());
        Assert.EndsWith("step-0000004.ckpt", RunDirectory.Open(runDir).LatestCheckpoint);

        using var resumed = BehaviourCloningRecipe.Resume(runDir, TestSupport.Quiet(dir));
        Assert.Equal("completed", resumed.Train().Status);
        TestSupport.AssertBitwiseEqual(expected, TestSupport.Weights(resumed.Model));
    }

    [Fact]
    public void ALoraRunWithAdapterDropoutResumesBitForBit()
    {
        // Adapter-only train checkpoints (the base comes from init_from) and dropout, which draws from torch's
        // generator: resuming must restore both the adapters' optimizer state and the generator.
        string dir = TestSupport.TempDir();
        var options = TestSupport.Quiet(dir);
        string baseRun;
        using (var pretrain = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, "train.steps=2", "train.eval_every=0"), options))
            baseRun = pretrain.Train().RunDir;
        string baseCheckpoint = RunDirectory.Open(baseRun).LatestCheckpoint!;
        string[] lora = ["name=lora", $"train.init_from={baseCheckpoint}", "train.lora.rank=2", "train.lora.dropout=0.2", "train.lora.targets=[blocks.*.fc1, head]", "train.lr=1e-2"];

        Dictionary<string, TorchSharp.torch.Tensor> expected;
        using (var straight = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, lora), options))
        {
            straight.Train();
            expected = TestSupport.Weights(straight.Model);
        }
        string runDir;
        using (var first = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, lora), options with { StopAfterStep = 4 }))
            runDir = first.Train().RunDir;
        Assert.True(Checkpoint.ReadHeader(RunDirectory.Open(runDir).LatestCheckpoint!).AdapterOnly);
        using var resumed = BehaviourCloningRecipe.Resume(runDir, options);
        resumed.Train();
        TestSupport.AssertBitwiseEqual(expected, TestSupport.Weights(resumed.Model));
    }

    [Fact]
    public void ARunStreamingAnRgbDatasetResumesBitForBitWithTheSameLoaderPosition()
    {
        // Image observations through the real data path: a rendered dataset streamed by the loader (observations are
        // slices of recycled row-group buffers) into a pixel model. Weights and the loader state must both match.
        string dir = TestSupport.TempDir();
        string recipe = Path.Combine(dir, "pixels.yaml");
        File.WriteAllText(recipe, string.Join("\n", "kind: dataset", "name: pixels", "levels: [GoToRedBallGrey]", "seeds: {start: 0}",
            "episodes: 60", "observation: rgb", "tile_size: 4", "rows_per_group: 64", $"output: {Path.Combine(dir, "pixels")}") + "\n");
        string[] rgb = [$"data.build={recipe}", $"data.sources=[{{path: {Path.Combine(dir, "pixels")}}}]", "data.shuffle_buffer=16", "train.eval_every=0",
            "model.observation=rgb", "model.tile_size=4"];
        Dictionary<string, TorchSharp.torch.Tensor> expected;
        string straightRun;
        using (var straight = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, rgb), TestSupport.Quiet(dir)))
        {
            Assert.True(straight.Model.Spec.Input.IsPixels);
            straightRun = straight.Train().RunDir;
            expected = TestSupport.Weights(straight.Model);
        }
        string runDir;
        using (var first = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, rgb), TestSupport.Quiet(dir) with { StopAfterStep = 3 }))
            runDir = first.Train().RunDir;
        using var resumed = BehaviourCloningRecipe.Resume(runDir, TestSupport.Quiet(dir));
        resumed.Train();
        TestSupport.AssertBitwiseEqual(expected, TestSupport.Weights(resumed.Model));
        var loaderAt = (string run) => JsonSerializer.Serialize(Checkpoint.ReadHeader(RunDirectory.Open(run).LatestCheckpoint!).Loader);
        Assert.Equal(loaderAt(straightRun), loaderAt(runDir));
    }

    [Fact]
    public void ARunStreamingParquetResumesBitForBit()
    {
        // The real data path: a built dataset read by the streaming loader, whose state is checkpointed.
        string dir = TestSupport.TempDir();
        string recipe = Path.Combine(dir, "demos.yaml");
        File.WriteAllText(recipe, string.Join("\n", "kind: dataset", "name: demos", "levels: [GoToRedBallGrey]", "seeds: {start: 0}",
            "episodes: 60", "observation: symbolic", "rows_per_group: 64", $"output: {Path.Combine(dir, "demos")}") + "\n");
        string[] parquet = [$"data.build={recipe}", $"data.sources=[{{path: {Path.Combine(dir, "demos")}}}]", "data.shuffle_buffer=16", "train.eval_every=0"];
        Dictionary<string, TorchSharp.torch.Tensor> expected;
        using (var straight = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, parquet), TestSupport.Quiet(dir)))
        {
            var result = straight.Train();
            Assert.False(string.IsNullOrEmpty(System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(result.RunDir, "run.json"))).RootElement.GetProperty("dataset_fingerprint").GetString()));
            expected = TestSupport.Weights(straight.Model);
        }
        string runDir;
        using (var first = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, parquet), TestSupport.Quiet(dir) with { StopAfterStep = 4 }))
            runDir = first.Train().RunDir;
        using var resumed = BehaviourCloningRecipe.Resume(runDir, TestSupport.Quiet(dir));
        resumed.Train();
        TestSupport.AssertBitwiseEqual(expected, TestSupport.Weights(resumed.Model));
    }
}
