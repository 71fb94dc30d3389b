using TorchSharp;
using Workbench.Envs;
using Workbench.Models;
using Workbench.Training;
using static TorchSharp.torch;

namespace Workbench.Tests.Training;

[Collection(TorchCollection.Name)]
public class ModelVersionsTests
{
    public ModelVersionsTests() => TestSupport.SingleThread();

    [Fact]
    public void ARegisteredRunResolvesByNameAtVersionToTheBestCheckpointsModel()
    {
        string dir = TestSupport.TempDir();
        var options = TestSupport.Quiet(dir);
        string run;
        using (var recipe = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir), options)) run = recipe.Train().RunDir;

        var v = ModelVersions.Register(run, "agent", "v2", options.RegistryRoot);
        Assert.Equal(Path.GetFullPath(Path.Combine(run, "checkpoints", "best.ckpt")), v.SourceCheckpoint);
        Assert.Equal(File.ReadAllText(Path.Combine(run, "config.sha256")).Trim(), v.ConfigSha256);
        Assert.StartsWith("sha256:", v.DatasetFingerprint);
        Assert.True(v.Metrics.ContainsKey("val_loss"));
        Assert.Equal(["agent@v2"], ModelVersions.List(options.RegistryRoot).Select(x => x.Reference));

        using var best = Checkpoint.LoadModel(v.SourceCheckpoint);
        using var resolved = ModelVersions.Resolve("agent@v2", options.RegistryRoot);
        Assert.False(resolved.Module.training);
        using var scope = NewDisposeScope();
        var (sequence, _) = EpisodeBatcher.Build(TestSupport.Demos(2, 9), ObservationSpec.Symbolic, 16, CPU);
        using (no_grad()) Assert.True(best.ForwardSequence(sequence).eq(resolved.ForwardSequence(sequence)).all().item<bool>());

        Assert.Contains("already registered", Assert.Throws<UserError>(() => ModelVersions.Register(run, "agent", "v2", options.RegistryRoot)).Message);
        Assert.Contains("agent@v2", Assert.Throws<UserError>(() => ModelVersions.Resolve("agent@v9", options.RegistryRoot)).Message);
        Assert.Throws<UserError>(() => ModelVersions.Resolve("agent", options.RegistryRoot));
    }
}
