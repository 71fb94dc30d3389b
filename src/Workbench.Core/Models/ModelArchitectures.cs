using Workbench.Envs;

namespace Workbench.Models;

/// <summary>
/// A registered model family: its size presets, each a factory from a <see cref="ModelSpec"/>, and the observation
/// modalities its encoder reads (the spec's <see cref="ModelSpec.Input"/> must be one of them).
/// </summary>
public sealed record ModelFamily(string Name, string Description, IReadOnlyDictionary<string, Func<ModelSpec, IAgentModel>> Sizes,
    IReadOnlyList<ObservationModality> Modalities);

/// <summary>
/// Every model family by name, its size presets and the modalities it reads. Configs name a family, size and observation;
/// the registry drives the model tests (every (family, size, modality) gets forward/backward/NaN/save-load/rollout-
/// equivalence tests). "Architectures" are the code that builds a model; trained weights are model versions
/// (<c>Training.ModelVersions</c>, the <c>registry/</c> folder).
/// Initial weights come from torch's global generator: seed it (torch.manual_seed) before <see cref="Create"/>.
/// </summary>
public static class ModelArchitectures
{
    private static readonly Dictionary<string, ModelFamily> Families = new[]
    {
        new ModelFamily("babyai_film", "BabyAI baseline: grid bag-of-words (symbolic) or a conv per cell (pixels) + conv, GRU instruction, FiLM, LSTM memory",
            new Dictionary<string, Func<ModelSpec, IAgentModel>>
            {
                ["tiny"] = spec => new FilmAgent(spec, new FilmSize(ImageDim: 32, InstrDim: 32, MemoryDim: 64)),
                ["small"] = spec => new FilmAgent(spec, new FilmSize(ImageDim: 64, InstrDim: 64, MemoryDim: 128)),
                ["base"] = spec => new FilmAgent(spec, new FilmSize(ImageDim: 128, InstrDim: 128, MemoryDim: 128)), // the paper's widths
            },
            [ObservationModality.Symbolic, ObservationModality.Rgb]),
        new ModelFamily("transformer", "Multimodal transformer: cell (ids, or pixels through a per-cell conv tower) + mission + direction tokens, SDPA fusion, GRU memory",
            new Dictionary<string, Func<ModelSpec, IAgentModel>>
            {
                ["tiny"] = spec => new TransformerAgent(spec, new TransformerSize(Dim: 32, Layers: 2, Heads: 2, CellChannels: 16)),
                ["small"] = spec => new TransformerAgent(spec, new TransformerSize(Dim: 128, Layers: 4, Heads: 4, CellChannels: 32)),
                ["base"] = spec => new TransformerAgent(spec, new TransformerSize(Dim: 256, Layers: 6, Heads: 8, CellChannels: 48)),
            },
            [ObservationModality.Symbolic, ObservationModality.Rgb]),
    }.ToDictionary(f => f.Name);

    public static IReadOnlyCollection<string> FamilyNames => Families.Keys;

    /// <summary>Every registered (family, size) pair.</summary>
    public static IEnumerable<(string Family, string Size)> All =>
        Families.Values.SelectMany(f => f.Sizes.Keys.Select(s => (f.Name, s)));

    /// <summary>Every registered (family, size, modality): what the registry-driven model tests cover.</summary>
    public static IEnumerable<(string Family, string Size, ObservationModality Modality)> AllWithModalities =>
        Families.Values.SelectMany(f => f.Sizes.Keys.SelectMany(s => f.Modalities.Select(m => (f.Name, s, m))));

    public static bool IsRegistered(string family, string size) =>
        Families.TryGetValue(family, out var f) && f.Sizes.ContainsKey(size);

    /// <summary>Why (family, size) is not registered, or null when it is (used by config validation).</summary>
    public static string? Problem(string family, string size)
    {
        if (!Families.TryGetValue(family, out var f))
            return $"unknown model family '{family}' (registered: {string.Join(", ", Families.Keys)})";
        return f.Sizes.ContainsKey(size) ? null : $"family '{family}' has no size '{size}' (sizes: {string.Join(", ", f.Sizes.Keys)})";
    }

    /// <summary>Why the family cannot read <paramref name="modality"/>, or null when it can (or the family is unknown).</summary>
    public static string? ModalityProblem(string family, ObservationModality modality) =>
        Families.TryGetValue(family, out var f) && !f.Modalities.Contains(modality)
            ? $"family '{family}' reads {string.Join(" | ", f.Modalities.Select(Name))} observations, not {Name(modality)}"
            : null;

    /// <summary>Config spelling of a modality ("symbolic", "rgb").</summary>
    public static string Name(ObservationModality modality) => modality.ToString().ToLowerInvariant();

    public static IAgentModel Create(ModelSpec spec)
    {
        if ((Problem(spec.Family, spec.Size) ?? ModalityProblem(spec.Family, spec.Input.Modality)) is { } problem) throw new UserError(problem);
        return Families[spec.Family].Sizes[spec.Size](spec);
    }

    public static ModelFamily Family(string name) =>
        Families.TryGetValue(name, out var f) ? f : throw new UserError(Problem(name, "")!);
}
