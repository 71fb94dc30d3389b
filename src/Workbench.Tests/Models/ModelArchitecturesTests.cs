using TorchSharp;
using Workbench.Models;
using Workbench.Training;
using static TorchSharp.torch;

namespace Workbench.Tests.Models;

/// <summary>Every registered (family, size) gets the same checks, driven by the registry.</summary>
[Collection(TorchCollection.Name)]
public class ModelArchitecturesTests
{
    public ModelArchitecturesTests() => TestSupport.SingleThread();

    public static TheoryData<string, string> AllModels()
    {
        var data = new TheoryData<string, string>();
        foreach (var (family, size) in ModelArchitectures.All) data.Add(family, size);
        return data;
    }

    /// <summary>Pinned parameter counts (vocabulary 64, 8 mission positions, 12 object ids incl. Fashion pictures): a change is an architecture change; update on purpose.</summary>
    private static readonly Dictionary<(string, string), long> PinnedParameters = new()
    {
        [("babyai_film", "tiny")] = 98_471,
        [("babyai_film", "small")] = 376_647,
        [("babyai_film", "base")] = 1_202_311,
        [("transformer", "tiny")] = 27_303,
        [("transformer", "small")] = 644_487,
        [("transformer", "base")] = 3_588_359,
    };

    private static readonly ModelSpec Spec = new("", "", VocabSize: 64, MaxMissionLength: 8);

    private static IAgentModel Create(string family, string size, long seed = 1)
    {
        manual_seed(seed);
        return ModelArchitectures.Create(Spec with { Family = family, Size = size });
    }

    private static (AgentSequence Sequence, Tensor Actions) Batch(int episodes = 3) =>
        EpisodeBatcher.Build(TestSupport.Demos(episodes, 11), Spec.Input, Spec.MaxMissionLength, CPU);

    [Fact]
    public void RegistryHasBothFamiliesInThreeSizes()
    {
        Assert.Equal(["babyai_film", "transformer"], ModelArchitectures.FamilyNames.Order());
        Assert.Equal(6, ModelArchitectures.All.Count());
        Assert.Contains("no size 'huge'", ModelArchitectures.Problem("transformer", "huge"));
        Assert.Throws<UserError>(() => ModelArchitectures.Create(Spec with { Family = "gpt", Size = "tiny" }));
    }

    [Theory, MemberData(nameof(AllModels))]
    public void ForwardGivesSevenFiniteLogitsPerStep(string family, string size)
    {
        using var model = Create(family, size);
        using var scope = NewDisposeScope();
        var (sequence, _) = Batch();
        var logits = model.ForwardSequence(sequence);
        Assert.Equal([sequence.Batch, sequence.Time, AgentObs.Actions], logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());

        AgentMemory? memory = null;
        var step = model.Forward(sequence.StepAt(0), ref memory);
        Assert.Equal([sequence.Batch, AgentObs.Actions], step.shape);
        Assert.NotNull(memory);
    }

    [Theory, MemberData(nameof(AllModels))]
    public void BackwardGivesFiniteGradientsForEveryParameter(string family, string size)
    {
        using var model = Create(family, size);
        using var scope = NewDisposeScope();
        var (sequence, actions) = Batch();
        var (loss, _) = BehaviourCloningRecipe.SummedLoss(model, sequence, actions);
        loss.backward();
        Assert.True(double.IsFinite(loss.item<float>()));
        foreach (var (name, p) in model.Module.named_parameters())
        {
            Assert.True(p.grad is not null, $"{name} got no gradient");
            Assert.True(p.grad!.isfinite().all().item<bool>(), $"{name} has a non-finite gradient");
        }
    }

    [Theory, MemberData(nameof(AllModels))]
    public void TeacherForcingEqualsStepByStepRollout(string family, string size)
    {
        using var model = Create(family, size);
        model.Module.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (sequence, _) = Batch(episodes: 4);
        var full = model.ForwardSequence(sequence);                                  // (B, T, 7)
        AgentMemory? memory = null;
        for (long t = 0; t < sequence.Time; t++)
        {
            var step = model.Forward(sequence.StepAt(t), ref memory);                // (B, 7)
            var real = sequence.Mask.select(1, t);                                    // compare real steps only
            var diff = (full.select(1, t) - step).abs().amax(1).masked_select(real);
            if (diff.numel() > 0) Assert.True(diff.max().item<float>() < 1e-5, $"t={t}: max |Δ| {diff.max().item<float>()}");
        }
    }

    [Theory, MemberData(nameof(AllModels))]
    public void ParameterCountIsPositiveAndPinned(string family, string size)
    {
        using var model = Create(family, size);
        long count = model.Module.parameters().Sum(p => p.numel());
        Assert.True(count > 0);
        Assert.Equal(PinnedParameters[(family, size)], count);
    }

    [Fact]
    public void TransformerParameterCountMatchesTheFormula()
    {
        foreach (var (size, d, layers) in new[] { ("tiny", 32L, 2L), ("small", 128L, 4L), ("base", 256L, 6L) })
        {
            using var model = Create("transformer", size);
            long embeddings = (12 + 6 + 3 + 7 + 7 + 4 + 64 + 8) * d + d;           // tables (12 object ids) + CLS
            long block = 2 * 2 * d + (d * 3 * d + 3 * d) + (d * d + d) + (d * 2 * d + 2 * d) + (2 * d * d + d);
            long gru = 2 * (3 * d * d + 3 * d);
            long expected = embeddings + layers * block + 2 * d + gru + (7 * d + 7);
            Assert.Equal(expected, model.Module.parameters().Sum(p => p.numel()));
        }
    }

    [Theory, MemberData(nameof(AllModels))]
    public void FashionPictureCellsAreEmbeddedAsTheirOwnObject(string family, string size)
    {
        // FashionGrid shows pictures as object id 11 (Envs.ObjectType.FashionItem): every model must embed it
        // as its own object (not crash, and not alias it to another id).
        using var model = Create(family, size);
        model.Module.eval();
        using var _ = no_grad();
        var grid = zeros(2, AgentObs.View, AgentObs.View, AgentObs.Channels, dtype: int64);
        grid[0, 3, 3, 0] = tensor((long)Workbench.Envs.ObjectType.FashionItem);
        grid[1, 3, 3, 0] = tensor((long)Workbench.Envs.ObjectType.Ball);
        using var batch = new AgentBatch(grid, zeros(2, dtype: int64), ones(2, 4, dtype: int64));
        AgentMemory? memory = null;
        var logits = model.Forward(batch, ref memory);
        memory?.Dispose();
        Assert.True(logits.isfinite().all().item<bool>());
        Assert.True((logits[0] - logits[1]).abs().max().item<float>() > 0, "a picture and a ball must look different to the model");
    }

    [Theory, MemberData(nameof(AllModels))]
    public void SaveLoadRoundTripGivesEqualOutputs(string family, string size)
    {
        using var original = Create(family, size, seed: 1);
        using var copy = Create(family, size, seed: 2);
        original.Module.eval();
        copy.Module.eval();
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) original.Module.save(writer);
        stream.Position = 0;
        using (var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true)) copy.Module.load(reader);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (sequence, _) = Batch();
        Assert.True(original.ForwardSequence(sequence).eq(copy.ForwardSequence(sequence)).all().item<bool>());
    }

    [Fact]
    public void MissionTokenizerPadsAndMarksUnknownWords()
    {
        var ids = MissionTokenizer.Encode("Go to the RED ball xyzzy", 8);
        Assert.Equal(8, ids.Length);
        Assert.All(ids[..5], id => Assert.True(id > 1));
        Assert.Equal(MissionTokenizer.Unknown, ids[5]);
        Assert.Equal([0L, 0L], ids[6..]);
        Assert.Equal(3, MissionTokenizer.Encode("go to the red ball", 3).Length);
    }
}
