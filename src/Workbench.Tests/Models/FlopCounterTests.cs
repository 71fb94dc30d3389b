using Workbench.Envs;
using Workbench.Models;
using Workbench.Rollouts;
using static TorchSharp.torch;

namespace Workbench.Tests.Models;

/// <summary>FLOPs per action: a hand count for each family, and — for every registered model — that no module is left out.</summary>
[Collection(TorchCollection.Name)]
public class FlopCounterTests
{
    public FlopCounterTests() => TestSupport.SingleThread();

    // Vocabulary 64, missions padded to 8 words (as rollouts pad them).
    private static readonly ModelSpec Spec = new("", "", VocabSize: 64, MaxMissionLength: 8);

    private static IAgentModel Create(string family, string size, ObservationModality modality = ObservationModality.Symbolic)
    {
        manual_seed(1);
        var input = modality == ObservationModality.Symbolic ? ObservationSpec.Symbolic : ObservationSpec.Rgb(8);
        return ModelArchitectures.Create(Spec with { Family = family, Size = size, Observation = input });
    }

    [Fact]
    public void Transformer_tiny_matches_a_hand_count()
    {
        // D = 32, 2 blocks, S = CLS + direction + 49 cells + 8 words = 59 tokens. Per block and token the four linears
        // (qkv 32→96, proj 32→32, fc1 32→64, fc2 64→32) are 2·(3072 + 1024 + 2048 + 2048) = 16 384 FLOPs, × 59 = 966 656;
        // attention 4·S²·D = 4·59²·32 = 445 568. Two blocks: 2 824 448. GRU 32→32, one step: 2·(96·32 + 96·32) = 12 288.
        // Head 32→7: 448. Embeddings are lookups: 0.
        using var model = Create("transformer", "tiny");
        Assert.Equal(2 * (966_656 + 445_568) + 12_288 + 448, FlopCounter.PerAction(model));
    }

    [Fact]
    public void Film_tiny_matches_a_hand_count()
    {
        // C = 32, instruction 32, memory 64, 2 FiLM blocks, 7×7 map. Each 3×3 conv 32→32: 2·32·32·9 per position × 49 =
        // 903 168; two stem convs and two per block: 6 × 903 168 = 5 419 008. γ, β 32→32 per block: 2 × 2048, × 2 blocks = 8192.
        // Instruction GRU 32→32 over 8 words: 8 × 2·(96·32 + 96·32) = 98 304. LSTM 32→64, one step: 2·(256·32 + 256·64) = 49 152.
        // Actor 64→64→7: 8192 + 896.
        using var model = Create("babyai_film", "tiny");
        Assert.Equal(5_419_008 + 8_192 + 98_304 + 49_152 + 8_192 + 896, FlopCounter.PerAction(model));
    }

    [Fact]
    public void Film_tiny_reading_pixels_adds_its_pixel_stem_to_the_hand_count()
    {
        // Tile 8: the pixel stem is a conv 3→32 with kernel = stride = 8 over the 56×56 view, one output per cell:
        // 2·3·32·8·8 per position × 49 = 602 112, in place of the bag-of-words lookup (0). The rest is the symbolic count.
        using var model = Create("babyai_film", "tiny", ObservationModality.Rgb);
        Assert.Equal(5_419_008 + 8_192 + 98_304 + 49_152 + 8_192 + 896 + 602_112, FlopCounter.PerAction(model));
    }

    public static TheoryData<string, string, ObservationModality> AllModels()
    {
        var data = new TheoryData<string, string, ObservationModality>();
        foreach (var (family, size, modality) in ModelArchitectures.AllWithModalities) data.Add(family, size, modality);
        return data;
    }

    [Theory, MemberData(nameof(AllModels))]
    public void Every_registered_model_counts_every_module_with_weights(string family, string size, ObservationModality modality)
    {
        using var model = Create(family, size, modality);
        var counter = new FlopCounter();
        model.CountFlops(counter);
        Assert.Empty(counter.Uncounted(model.Module));
        Assert.True(counter.Total > 0);
        // More FLOPs than parameters: every weight is used at least once per action (2 FLOPs per multiply-add).
        long weights = model.Module.parameters().Sum(p => p.numel());
        Assert.True(counter.Total > weights, $"{counter.Total} FLOPs for {weights} parameters");
        // The efficiency suite reads the same number from the model policy.
        using var policy = new ModelPolicy("m", model, ownsModel: false);
        Assert.Equal(counter.Total, policy.FlopsPerAction);
    }

    [Fact]
    public void A_lora_adapter_adds_its_two_products()
    {
        var layer = new LoraLinear(32, 7);
        double plain = new FlopCounter().Linear(layer, 1).Total;
        layer.AddAdapter(rank: 4, alpha: 8, dropout: 0);
        Assert.Equal(plain + 2 * 4 * (32 + 7), new FlopCounter().Linear(layer, 1).Total);
    }

    [Fact]
    public void A_module_the_model_does_not_name_is_reported_as_uncounted()
    {
        using var model = Create("transformer", "tiny");
        var counter = new FlopCounter();
        Assert.NotEmpty(counter.Uncounted(model.Module)); // control: nothing counted yet, so everything is uncounted
    }
}
