using TorchSharp;
using Workbench.Envs;
using Workbench.Models;
using Workbench.Training;
using static TorchSharp.torch;

namespace Workbench.Tests.Models;

/// <summary>
/// Every registered (family, size, modality) gets the same checks, driven by the registry. Pixel models are tested at
/// tile 4 (28×28 views): the shapes and the code path are those of any tile, at a sixteenth of tile 16's cost.
/// </summary>
[Collection(TorchCollection.Name)]
public class ModelArchitecturesTests
{
    public ModelArchitecturesTests() => TestSupport.SingleThread();

    public static TheoryData<string, string, ObservationModality> AllModels()
    {
        var data = new TheoryData<string, string, ObservationModality>();
        foreach (var (family, size, modality) in ModelArchitectures.AllWithModalities) data.Add(family, size, modality);
        return data;
    }

    public static TheoryData<string, string> SymbolicModels()
    {
        var data = new TheoryData<string, string>();
        foreach (var (family, size) in ModelArchitectures.All) data.Add(family, size);
        return data;
    }

    private const int TestTile = 4;

    /// <summary>
    /// Pinned parameter counts (vocabulary 64, 8 mission positions, 12 object ids incl. Fashion pictures; pixel models at
    /// tile 4): a change is an architecture change; update on purpose. Symbolic counts are those from before pixels existed.
    /// </summary>
    private static readonly Dictionary<(string, string, ObservationModality), long> PinnedParameters = new()
    {
        [("babyai_film", "tiny", ObservationModality.Symbolic)] = 98_471,
        [("babyai_film", "small", ObservationModality.Symbolic)] = 376_647,
        [("babyai_film", "base", ObservationModality.Symbolic)] = 1_202_311,
        [("transformer", "tiny", ObservationModality.Symbolic)] = 27_303,
        [("transformer", "small", ObservationModality.Symbolic)] = 644_487,
        [("transformer", "base", ObservationModality.Symbolic)] = 3_588_359,
        [("babyai_film", "tiny", ObservationModality.Rgb)] = 99_367,
        [("babyai_film", "small", ObservationModality.Rgb)] = 378_439,
        [("babyai_film", "base", ObservationModality.Rgb)] = 1_205_895,
        [("transformer", "tiny", ObservationModality.Rgb)] = 48_135,
        [("transformer", "small", ObservationModality.Rgb)] = 792_391,
        [("transformer", "base", ObservationModality.Rgb)] = 4_019_367,
    };

    private static readonly ModelSpec Spec = new("", "", VocabSize: 64, MaxMissionLength: 8);

    private static ObservationSpec Observation(ObservationModality modality) =>
        modality == ObservationModality.Rgb ? ObservationSpec.Rgb(TestTile) : ObservationSpec.Symbolic;

    private static IAgentModel Create(string family, string size, ObservationModality modality = ObservationModality.Symbolic, long seed = 1)
    {
        manual_seed(seed);
        return ModelArchitectures.Create(Spec with { Family = family, Size = size, Observation = Observation(modality) });
    }

    private static (AgentSequence Sequence, Tensor Actions) Batch(IAgentModel model, int episodes = 3) =>
        EpisodeBatcher.Build(TestSupport.Demos(episodes, 11, model.Spec.Input), model.Spec.Input, Spec.MaxMissionLength, CPU);

    [Fact]
    public void RegistryHasBothFamiliesInThreeSizes()
    {
        Assert.Equal(["babyai_film", "transformer"], ModelArchitectures.FamilyNames.Order());
        Assert.Equal(6, ModelArchitectures.All.Count());
        Assert.Equal(12, ModelArchitectures.AllWithModalities.Count());
        Assert.Contains("no size 'huge'", ModelArchitectures.Problem("transformer", "huge"));
        Assert.Throws<UserError>(() => ModelArchitectures.Create(Spec with { Family = "gpt", Size = "tiny" }));
    }

    [Theory, MemberData(nameof(AllModels))]
    public void ForwardGivesSevenFiniteLogitsPerStep(string family, string size, ObservationModality modality)
    {
        using var model = Create(family, size, modality);
        using var scope = NewDisposeScope();
        var (sequence, _) = Batch(model);
        var logits = model.ForwardSequence(sequence);
        Assert.Equal([sequence.Batch, sequence.Time, AgentObs.Actions], logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());

        AgentMemory? memory = null;
        var step = model.Forward(sequence.StepAt(0), ref memory);
        Assert.Equal([sequence.Batch, AgentObs.Actions], step.shape);
        Assert.NotNull(memory);
    }

    [Theory, MemberData(nameof(AllModels))]
    public void BackwardGivesFiniteGradientsForEveryParameter(string family, string size, ObservationModality modality)
    {
        using var model = Create(family, size, modality);
        using var scope = NewDisposeScope();
        var (sequence, actions) = Batch(model);
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
    public void TeacherForcingEqualsStepByStepRollout(string family, string size, ObservationModality modality)
    {
        using var model = Create(family, size, modality);
        model.Module.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (sequence, _) = Batch(model, episodes: 4);
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
    public void ParameterCountIsPositiveAndPinned(string family, string size, ObservationModality modality)
    {
        using var model = Create(family, size, modality);
        long count = model.Module.parameters().Sum(p => p.numel());
        Assert.True(count > 0);
        Assert.Equal(PinnedParameters[(family, size, modality)], count);
    }

    [Fact]
    public void TransformerParameterCountMatchesTheFormula()
    {
        foreach (var (size, d, layers, c) in new[] { ("tiny", 32L, 2L, 16L), ("small", 128L, 4L, 32L), ("base", 256L, 6L, 48L) })
        {
            using var model = Create("transformer", size);
            long embeddings = (12 + 6 + 3 + 7 + 7 + 4 + 64 + 8) * d + d;           // tables (12 object ids) + CLS
            long block = 2 * 2 * d + (d * 3 * d + 3 * d) + (d * d + d) + (d * 2 * d + 2 * d) + (2 * d * d + d);
            long gru = 2 * (3 * d * d + 3 * d);
            long expected = embeddings + layers * block + 2 * d + gru + (7 * d + 7);
            Assert.Equal(expected, model.Module.parameters().Sum(p => p.numel()));

            // Pixel models swap the 21 id embeddings for the image tower: conv 3×3 (3 → C), conv 3×3 (C → 2C), Linear (2C·16 → D).
            long tower = (3 * c * 9 + c) + (c * 2 * c * 9 + 2 * c) + (2 * c * 16 * d + d);
            using var pixels = Create("transformer", size, ObservationModality.Rgb);
            Assert.Equal(expected - 21 * d + tower, pixels.Module.parameters().Sum(p => p.numel()));
        }
    }

    [Theory, MemberData(nameof(SymbolicModels))]
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
    public void SaveLoadRoundTripGivesEqualOutputs(string family, string size, ObservationModality modality)
    {
        using var original = Create(family, size, modality, seed: 1);
        using var copy = Create(family, size, modality, seed: 2);
        original.Module.eval();
        copy.Module.eval();
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) original.Module.save(writer);
        stream.Position = 0;
        using (var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true)) copy.Module.load(reader);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (sequence, _) = Batch(original);
        Assert.True(original.ForwardSequence(sequence).eq(copy.ForwardSequence(sequence)).all().item<bool>());
    }

    [Theory, MemberData(nameof(AllModels))]
    public void PixelModelsSeeWhatIsDrawnInACell(string family, string size, ObservationModality modality)
    {
        // A pixel model must respond to the pixels of one cell (the way a Fashion-MNIST class shows up) — not crash,
        // and not average them away. Symbolic rows are covered by FashionPictureCellsAreEmbeddedAsTheirOwnObject.
        if (modality != ObservationModality.Rgb) return;
        using var model = Create(family, size, modality);
        model.Module.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        int side = AgentObs.View * TestTile;
        var views = zeros(2, side, side, 3, dtype: ScalarType.Byte);
        manual_seed(5);
        views[0, TypedIndex(3 * TestTile, 4 * TestTile), TypedIndex(3 * TestTile, 4 * TestTile)] = randint(0, 256, [TestTile, TestTile, 3], dtype: ScalarType.Byte);
        views[1, TypedIndex(3 * TestTile, 4 * TestTile), TypedIndex(3 * TestTile, 4 * TestTile)] = randint(0, 256, [TestTile, TestTile, 3], dtype: ScalarType.Byte);
        using var batch = new AgentBatch(views, zeros(2, dtype: int64), ones(2, 4, dtype: int64));
        AgentMemory? memory = null;
        var logits = model.Forward(batch, ref memory);
        memory?.Dispose();
        Assert.True(logits.isfinite().all().item<bool>());
        Assert.True((logits[0] - logits[1]).abs().max().item<float>() > 0, "two different pictures in a cell must look different to the model");
    }

    private static TensorIndex TypedIndex(long start, long stop) => TensorIndex.Slice(start, stop);

    [Fact]
    public void CellEncoderEncodingDistinctTilesOnceEqualsEncodingEveryCell()
    {
        // The tower encodes each distinct tile of a batch once and gathers the results back; that must be the same
        // function (and the same gradients) as encoding all N·49 cells.
        manual_seed(3);
        using var encoder = new CellEncoder("image", tileSize: 8, channels: 8, dim: 16);
        using var scope = NewDisposeScope();
        var views = EpisodeBatcher.Build(TestSupport.Demos(2, 5, ObservationSpec.Rgb(8)), ObservationSpec.Rgb(8), 8, CPU).Sequence.Obs.flatten(0, 1); // (N, 56, 56, 3)
        long n = views.shape[0];
        var tiles = views.view(n, 7, 8, 7, 8, 3).permute(0, 1, 3, 2, 4, 5).reshape(n * 49, 8, 8, 3);
        var every = encoder.EncodeTiles(tiles).view(n, 49, 16);
        var deduplicated = encoder.forward(views);
        Assert.True((every - deduplicated).abs().max().item<float>() < 1e-5);
        var gradEvery = Workbench.Tests.Models.ModelArchitecturesTests.Gradients(encoder, every.pow(2).sum());
        var gradDedup = Gradients(encoder, deduplicated.pow(2).sum());
        foreach (var (name, g) in gradEvery)
            Assert.True((g - gradDedup[name]).abs().max().item<float>() < 1e-3 * (1 + g.abs().max().item<float>()), $"{name}: gradients differ");
    }

    private static Dictionary<string, Tensor> Gradients(nn.Module module, Tensor loss)
    {
        module.zero_grad();
        loss.backward();
        return module.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
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
