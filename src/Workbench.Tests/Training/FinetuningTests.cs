using TorchSharp;
using Workbench.Envs;
using Workbench.Models;
using Workbench.Training;
using static TorchSharp.torch;

namespace Workbench.Tests.Training;

[Collection(TorchCollection.Name)]
public class FinetuningTests
{
    public FinetuningTests() => TestSupport.SingleThread();

    private static (AgentSequence, Tensor) Batch() => EpisodeBatcher.Build(TestSupport.Demos(3, 4), ObservationSpec.Symbolic, 16, CPU);

    [Theory]
    [InlineData("transformer", "*")]
    [InlineData("babyai_film", "film*")]
    public void MergedAdaptersGiveTheSameOutputsAsUnmerged(string family, string targets)
    {
        manual_seed(1);
        using var model = ModelArchitectures.Create(new ModelSpec(family, "tiny", 64, 16));
        var info = Finetuning.ApplyLora(model, new LoraSection { Rank = 4, Alpha = 8, Targets = [targets] });
        Assert.NotEmpty(info.Modules);
        using (no_grad())
            foreach (var (name, p) in model.Module.named_parameters().Where(p => p.name.EndsWith("lora_b")))
                p.normal_(0, 0.1); // B starts at zero; make the adapters matter
        model.Module.eval();
        using var merged = Finetuning.Merge(model);
        Assert.DoesNotContain(merged.Module.state_dict().Keys, Finetuning.IsAdapterParameter);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (sequence, _) = Batch();
        var adapted = model.ForwardSequence(sequence);
        var plain = merged.ForwardSequence(sequence);
        using var baseline = ModelArchitectures.Create(model.Spec);
        Assert.True((adapted - plain).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void ApplyingLoraTrainsOnlyTheAdaptersAndUnknownTargetsAreAnError()
    {
        manual_seed(1);
        using var model = ModelArchitectures.Create(new ModelSpec("transformer", "tiny", 64, 16));
        Finetuning.ApplyLora(model, new LoraSection { Rank = 2, Targets = ["blocks.*.qkv", "head"] });
        var trainable = model.Module.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.Equal(6, trainable.Count); // (A, B) × (2 qkv + head)
        Assert.All(trainable, n => Assert.True(Finetuning.IsAdapterParameter(n)));
        using var other = ModelArchitectures.Create(new ModelSpec("transformer", "tiny", 64, 16));
        var e = Assert.Throws<UserError>(() => Finetuning.ApplyLora(other, new LoraSection { Rank = 2, Targets = ["decoder.*"] }));
        Assert.Contains("blocks.0.qkv", e.Message); // lists the layers there are
    }

    [Fact]
    public void FrozenParametersDoNotChangeDuringTraining()
    {
        string dir = TestSupport.TempDir();
        using var recipe = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, "train.freeze=[blocks.0.*, object_emb.*]", "train.eval_every=0"), TestSupport.Quiet(dir));
        var before = TestSupport.Weights(recipe.Model);
        Assert.Contains("object_emb.weight", before.Keys); // state-dict names are snake_case, as configs spell them
        recipe.Train();
        var after = TestSupport.Weights(recipe.Model);
        foreach (var name in recipe.Model.Module.named_parameters().Select(p => p.name))
        {
            bool frozen = name.StartsWith("blocks.0.") || name.StartsWith("object_emb.");
            bool same = before[name].eq(after[name]).all().item<bool>();
            Assert.True(frozen == same, $"{name}: frozen={frozen} but unchanged={same}");
        }
        Assert.Throws<UserError>(() => BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, "train.freeze=[nothing.*]"), TestSupport.Quiet(dir)));
    }

    [Fact]
    public void LoraFineTuneFromARegisteredModelWritesAdapterOnlyCheckpointsThatReload()
    {
        string dir = TestSupport.TempDir();
        var options = TestSupport.Quiet(dir);
        string baseRun;
        using (var pretrain = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, "train.eval_every=0"), options))
            baseRun = pretrain.Train().RunDir;
        var version = ModelVersions.Register(baseRun, "agent", "v1", options.RegistryRoot);
        Assert.Equal("agent@v1", version.Reference);

        using var finetune = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, "name=lora", "train.init_from=agent@v1", "train.lora.rank=4",
            "train.lora.targets=[blocks.*.qkv, blocks.*.fc1, head]", "train.lr=5e-3"), options);
        using (var start = ModelVersions.Resolve("agent@v1", options.RegistryRoot))
        {
            // init_from copied the registered weights (adapters start at B = 0, so outputs match too).
            var w = TestSupport.Weights(start);
            var f = TestSupport.Weights(finetune.Model);
            Assert.True(w["blocks.1.fc2.linear.weight"].eq(f["blocks.1.fc2.linear.weight"]).all().item<bool>());
        }
        var result = finetune.Train();
        var header = Checkpoint.ReadHeader(result.LastCheckpoint!);
        Assert.True(header.AdapterOnly);
        Assert.Equal("agent@v1", header.BaseModel);
        Assert.True(new FileInfo(result.LastCheckpoint!).Length < new FileInfo(version.Checkpoint).Length, "adapter checkpoint should be smaller than the full model");

        using var reloaded = Checkpoint.LoadModel(result.BestCheckpoint!, options.RegistryRoot);
        finetune.Model.Module.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (sequence, _) = Batch();
        Assert.True((finetune.Model.ForwardSequence(sequence) - reloaded.ForwardSequence(sequence)).abs().max().item<float>() < 1e-6);

        // Registering the fine-tuned run stores merged weights: a plain model with the same outputs.
        var merged = ModelVersions.Register(result.RunDir, "agent", "v2-lora", options.RegistryRoot);
        using var resolved = ModelVersions.Resolve(merged.Reference, options.RegistryRoot);
        Assert.DoesNotContain(resolved.Module.state_dict().Keys, Finetuning.IsAdapterParameter);
        Assert.True((reloaded.ForwardSequence(sequence) - resolved.ForwardSequence(sequence)).abs().max().item<float>() < 1e-5);
    }
}
