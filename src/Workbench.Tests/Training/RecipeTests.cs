using System.Text.Json;
using TorchSharp;
using Workbench.Training;
using static TorchSharp.torch;

namespace Workbench.Tests.Training;

[Collection(TorchCollection.Name)]
public class RecipeTests
{
    public RecipeTests() => TestSupport.SingleThread();

    [Fact]
    public void ARunDirectoryHoldsConfigProvenanceMetricsEventsCheckpointsAndLog()
    {
        string dir = TestSupport.TempDir();
        var config = TestSupport.Experiment(dir);
        using var recipe = BehaviourCloningRecipe.Start(config, TestSupport.Quiet(dir));
        var result = recipe.Train();
        string run = result.RunDir;

        Assert.Matches(@"runs[/\\]test[/\\]\d{8}-\d{6}-[0-9a-f]{6}$", run);
        Assert.Equal(config.ResolvedYaml, File.ReadAllText(Path.Combine(run, "config.yaml")));
        Assert.Equal(config.Sha256, File.ReadAllText(Path.Combine(run, "config.sha256")).Trim());
        var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json"))).RootElement;
        Assert.Equal("completed", info.GetProperty("status").GetString());
        Assert.Equal(3, info.GetProperty("seed").GetInt64());
        Assert.Equal("cpu", info.GetProperty("device").GetString());
        Assert.StartsWith("sha256:", info.GetProperty("dataset_fingerprint").GetString());
        Assert.True(info.TryGetProperty("ended", out _));
        var events = Directory.GetFiles(run, "events.out.tfevents*", SearchOption.AllDirectories);
        Assert.NotEmpty(events);
        var tags = TfRecordPayloads(events[0]).Select(System.Text.Encoding.UTF8.GetString).ToList();
        Assert.Contains(tags, t => t.Contains("train/loss"));
        Assert.Contains(tags, t => t.Contains("val/loss"));
        Assert.NotNull(result.BestCheckpoint);
        Assert.Equal(6, RunDirectory.Open(run).StepCheckpoints.Count);
        Assert.Contains("completed at step 6", File.ReadAllText(Path.Combine(run, "log.txt")));

        var metrics = MetricsFile.Read(run);
        Assert.Equal(6, metrics.Count(m => m.GetProperty("split").GetString() == "train"));
        Assert.Contains(metrics, m => m.GetProperty("split").GetString() == "val" && m.TryGetProperty("loss", out _));
        Assert.True(result.Metrics["val_loss"] > 0);

        // The best checkpoint loads for inference and matches the header's spec.
        using var best = Checkpoint.LoadModel(result.BestCheckpoint!);
        Assert.Equal("transformer", best.Spec.Family);
    }

    /// <summary>TFRecord framing (what TensorBoard reads): u64 length, u32 crc, payload, u32 crc; the file must end on a record.</summary>
    private static IEnumerable<byte[]> TfRecordPayloads(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        while (r.BaseStream.Position < r.BaseStream.Length)
        {
            long length = (long)r.ReadUInt64();
            r.ReadUInt32();
            Assert.True(length > 0 && r.BaseStream.Position + length + 4 <= r.BaseStream.Length, "truncated TFRecord");
            var payload = r.ReadBytes((int)length);
            r.ReadUInt32();
            yield return payload;
        }
    }

    [Fact]
    public void TrainingLowersTheLossAndKeepsTheLearningRateOnSchedule()
    {
        string dir = TestSupport.TempDir();
        using var recipe = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, "train.steps=30", "train.lr=3e-3", "train.eval_every=0", "train.checkpoint_every=30"), TestSupport.Quiet(dir));
        var result = recipe.Train();
        var train = MetricsFile.Read(result.RunDir).Where(m => m.GetProperty("split").GetString() == "train").ToList();
        double first = train.Take(3).Average(m => m.GetProperty("loss").GetDouble());
        double last = train.TakeLast(3).Average(m => m.GetProperty("loss").GetDouble());
        Assert.True(last < first * 0.8, $"loss did not fall: {first:0.000} → {last:0.000}");
        var schedule = new WarmupCosineSchedule(3e-3, 2, 30);
        Assert.Equal(schedule.At(0), train[0].GetProperty("lr").GetDouble(), 12);
        Assert.Equal(schedule.At(29), train[^1].GetProperty("lr").GetDouble(), 12);
    }

    [Fact]
    public void ANonFiniteGradientStopsTrainingNamingTheStepAndKeepsTheLastGoodCheckpoint()
    {
        string dir = TestSupport.TempDir();
        BehaviourCloningRecipe? self = null;
        using var recipe = self = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, "train.eval_every=0"), TestSupport.Quiet(dir) with
        {
            // Poison one gradient after step 4's backward pass, as an overflow would.
            AfterBackward = step =>
            {
                if (step == 4) self!.Model.Module.parameters().First(p => p.grad is not null).grad!.fill_(double.NaN);
            },
        });
        var e = Assert.Throws<TrainingDivergedException>(() => recipe.Train());
        Assert.Equal(4, e.Step);
        Assert.Contains("step 4", e.Message);
        Assert.EndsWith("step-0000003.ckpt", e.LastGoodCheckpoint);
        var run = RunDirectory.Open(recipe.Run.Path);
        Assert.EndsWith("step-0000003.ckpt", run.LatestCheckpoint);
        Assert.Equal("diverged", JsonDocument.Parse(File.ReadAllText(run.InfoPath)).RootElement.GetProperty("status").GetString());
        // The weights were not updated with the bad gradient.
        Assert.All(recipe.Model.Module.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));
        using var good = Checkpoint.LoadModel(run.LatestCheckpoint!);
        Assert.All(good.Module.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));
    }

    [Fact]
    public void EarlyStoppingEndsARunWhoseSelectionMetricStopsImproving()
    {
        string dir = TestSupport.TempDir();
        // With lr 1e-9 the policy barely changes; each evaluation rolls out fresh episodes, so success wobbles
        // around a constant and soon stops setting records.
        using var recipe = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, "train.steps=40", "train.lr=1e-9", "train.eval_every=1",
            "train.early_stopping_patience=2", "train.checkpoint_every=40", "train.rollout.levels=[GoToRedBallGrey]",
            "train.rollout.episodes=4", "train.rollout.select_by_success=true"), TestSupport.Quiet(dir));
        var result = recipe.Train();
        Assert.Equal("early_stopped", result.Status);
        Assert.True(result.StepsCompleted < 40);
        Assert.Equal(result.Metrics["best_step"] + 2, result.StepsCompleted); // two evaluations without a record
        Assert.EndsWith($"step-{result.StepsCompleted:D7}.ckpt", result.LastCheckpoint);
        Assert.NotNull(result.BestCheckpoint);
    }

    [Fact]
    public void ThousandsOfStepsDoNotGrowTheNumberOfLiveTensors()
    {
        string dir = TestSupport.TempDir();
        long? atStart = null;
        long atEnd = 0;
        var options = TestSupport.Quiet(dir) with
        {
            AfterStep = step =>
            {
                long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
                if (step == 100) atStart = live;
                atEnd = live;
            },
        };
        using var recipe = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, "train.steps=2000", "train.batch_size=1", "train.eval_every=0",
            "train.checkpoint_every=2000", "train.log_every=1000", "data.validation_episodes=0"), options);
        var result = recipe.Train();
        Assert.Equal(2000, result.StepsCompleted);
        Assert.NotNull(atStart);
        Assert.True(atEnd <= atStart, $"live tensors grew from {atStart} (step 100) to {atEnd} (step 2000)");
    }

    [Fact]
    public void WarmupRisesLinearlyAndCosineEndsAtTheFloor()
    {
        var s = new WarmupCosineSchedule(1e-3, 10, 110, MinRatio: 0.1);
        Assert.Equal(1e-4, s.At(0), 12);
        Assert.Equal(1e-3, s.At(9), 12);
        Assert.Equal(1e-3, s.At(10), 12);
        Assert.Equal(1e-4, s.At(109), 12);
        Assert.True(s.At(60) < s.At(30));
    }
}
