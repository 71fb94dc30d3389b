using Workbench.Training;

namespace Workbench.Tests.Training;

/// <summary>Bad input to training and the model registry: one clear error naming the file or key, nothing written elsewhere.</summary>
[Collection(TorchCollection.Name)]
public sealed class BadInputTests
{
    public BadInputTests() => TestSupport.SingleThread();

    private static string TrainedRun(string dir)
    {
        using var recipe = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, "train.steps=2"), TestSupport.Quiet(dir));
        return recipe.Train().RunDir;
    }

    [Theory]
    [InlineData("..", "v1")]
    [InlineData(".", "v1")]
    [InlineData("agent", "..")]
    [InlineData(".hidden", "v1")]
    [InlineData("a/b", "v1")]
    public void Register_refuses_names_that_are_path_segments_and_writes_nothing(string name, string version)
    {
        string dir = TestSupport.TempDir();
        string run = TrainedRun(dir);
        string registry = Path.Combine(dir, "reg", "inner");
        var e = Assert.Throws<UserError>(() => ModelVersions.Register(run, name, version, registry));
        Assert.Contains($"'{(name.All(c => char.IsAsciiLetterOrDigit(c)) ? version : name)}'", e.Message);
        Assert.False(Directory.Exists(Path.Combine(dir, "reg")));
        Assert.Throws<UserError>(() => ModelVersions.Find($"{name}@{version}", registry));
    }

    [Fact]
    public void A_truncated_checkpoint_is_a_clear_error_naming_the_file()
    {
        string dir = TestSupport.TempDir();
        string ckpt = RunDirectory.Open(TrainedRun(dir)).LatestCheckpoint!;
        string cut = Path.Combine(dir, "cut.ckpt");
        var bytes = File.ReadAllBytes(ckpt);
        foreach (int keep in new[] { 3, 200, bytes.Length / 2, bytes.Length - 10 })
        {
            File.WriteAllBytes(cut, bytes[..keep]);
            var e = Assert.Throws<UserError>(() => Checkpoint.LoadModel(cut));
            Assert.Contains(cut, e.Message);
        }
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        Assert.Contains("truncated or corrupt checkpoint", Assert.Throws<UserError>(() => Checkpoint.LoadModel(cut)).Message);
    }

    [Fact]
    public void A_cuda_device_on_a_machine_without_one_fails_validation_naming_the_key()
    {
        if (TorchSharp.torch.cuda.is_available()) return; // the check is about machines without CUDA
        string dir = TestSupport.TempDir();
        var e = Assert.Throws<Workbench.Config.ConfigException>(() => TestSupport.Experiment(dir, "device=cuda:7"));
        Assert.Contains("device", e.Message);
        Assert.Contains("CUDA is not available", e.Message);
    }
}

public sealed class BatchSizeTests
{
    [Fact]
    public void A_batch_larger_than_the_data_or_memory_is_refused_before_any_step()
    {
        string dir = TestSupport.TempDir();
        var huge = Assert.Throws<UserError>(() => BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, "train.batch_size=2000000000"), TestSupport.Quiet(dir)));
        Assert.Contains("train.batch_size 2,000,000,000", huge.Message);
        Assert.Contains("60 episodes", huge.Message);
        Assert.False(Directory.Exists(Path.Combine(dir, "runs")), "nothing is written for a refused run");

        // Memory: a batch the data could feed but no machine could hold.
        using var stream = new InMemoryEpisodeStream(TestSupport.Demos(4, 1), seed: 1);
        var memory = Assert.Throws<UserError>(() => BatchSizeCheck.Check(1_000_000, 1, stream, Workbench.Envs.ObservationSpec.Rgb(8), availableBytes: 1_000_000_000));
        Assert.Contains("GB per micro-batch", memory.Message);
        BatchSizeCheck.Check(64, 1, stream, Workbench.Envs.ObservationSpec.Rgb(8), availableBytes: 1_000_000_000);
    }
}
