using Workbench.Config;

namespace Workbench.Data;

/// <summary>What the obs column holds.</summary>
public enum ObservationKind
{
    /// <summary>MiniGrid 7×7×3 encoding (147 bytes).</summary>
    Symbolic,
    /// <summary>Rendered RGB image of the agent's view.</summary>
    Rgb,
    /// <summary>RGB view with Fashion-MNIST pictures drawn in (FashionGrid levels).</summary>
    Fashion,
}

/// <summary>
/// A dataset config (<c>kind: dataset</c>): which levels, which environment seeds, how many bot demonstrations and how
/// to lay them out on disk. <c>workbench data build</c> turns it into datasets/&lt;name&gt;/part-*.parquet plus a card.
/// </summary>
[ConfigKind("dataset")]
public sealed record DatasetConfig : IValidatable
{
    [RequiredKey, Doc("Dataset name; files go to datasets/<name>/ unless output is set")]
    public string Name { get; init; } = "";

    [Doc("Free text copied to the dataset card")]
    public string Description { get; init; } = "";

    [RequiredKey, Doc("Registered levels to generate (episodes are split evenly across them)")]
    public List<string> Levels { get; init; } = [];

    [Doc("Environment seeds per level: start + count, or an explicit list; absent = derived from seed")]
    public SeedSpec? Seeds { get; init; }

    [RequiredKey, Doc("Total number of demonstration episodes")]
    [Range(1, 100_000_000)]
    public int Episodes { get; init; }

    [Doc("symbolic | rgb | fashion: what the obs column holds")]
    public ObservationKind Observation { get; init; } = ObservationKind.Symbolic;

    [Doc("Pixels per grid cell for observation rgb | fashion: obs is the 7x7-cell egocentric view, (7*tile_size)^2*3 bytes " +
         "(8 = 56x56x3 = 9,408 bytes); ignored for symbolic")]
    [Range(4, 32)]
    public int TileSize { get; init; } = DefaultTileSize;

    public const int DefaultTileSize = 8;

    [Doc("Target rows per Parquet row group (whole episodes only); the unit of reading, shuffling and resuming")]
    [Range(1, 10_000_000)]
    public int RowsPerGroup { get; init; } = 4096;

    [Doc("Rows per shard file (closed at a row-group boundary once reached)")]
    [Range(1, double.PositiveInfinity)]
    public long ShardRows { get; init; } = 1_000_000;

    [Doc("Colour–object combos kept out of the demonstrations (e.g. [\"purple key\", \"green ball\"]): an episode whose mission names one, " +
         "or whose instruction can be satisfied with such an object, is skipped for the next seed — for held-out-combo evals")]
    public List<string> ExcludeCombos { get; init; } = [];

    [Doc("Output folder; default datasets/<name>/")]
    public string? Output { get; init; }

    [Doc("Seeds the interleaving of levels and, when seeds is absent, the environment seeds")]
    public long Seed { get; init; } = 1;

    public string OutputFolder() => Output ?? Path.Combine("datasets", Name);

    /// <summary>The observation contract of the episodes this dataset config writes: symbolic, or RGB (rgb, fashion) at <see cref="TileSize"/>.</summary>
    public Envs.ObservationSpec ObservationSpec() =>
        Observation == ObservationKind.Symbolic ? Envs.ObservationSpec.Symbolic : Envs.ObservationSpec.Rgb(TileSize);

    public void Validate(string path, ConfigErrors errors)
    {
        errors.Require(Name.Length == 0 || Name.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.'),
            ConfigErrors.Join(path, "name"), "use letters, digits, '-', '_' or '.' (it becomes a folder name)");
        errors.Require(Levels.Count > 0, ConfigErrors.Join(path, "levels"), "at least one level is required");
        for (int i = 0; i < Levels.Count; i++)
        {
            if (!Envs.LevelRegistry.Names.Contains(Levels[i]))
            {
                string? suggestion = ConfigBinder.DidYouMean(Levels[i], Envs.LevelRegistry.Names);
                errors.Add(ConfigErrors.Join(path, $"levels[{i}]"), $"unknown level '{Levels[i]}'" +
                    (suggestion != null ? $" (did you mean '{suggestion}'?)" : $"; known: {string.Join(", ", Envs.LevelRegistry.Names)}"));
            }
        }
        if (Observation == ObservationKind.Fashion)
        {
            var fashionLevels = Envs.LevelRegistry.Levels.Where(l => l.Category == Envs.LevelCategory.Fashion).Select(l => l.Name).ToList();
            for (int i = 0; i < Levels.Count; i++)
            {
                if (Envs.LevelRegistry.Names.Contains(Levels[i]) && !fashionLevels.Contains(Levels[i]))
                    errors.Add(ConfigErrors.Join(path, $"levels[{i}]"), $"level '{Levels[i]}' is not a FashionGrid level, and observation: fashion " +
                        $"needs one (Fashion-MNIST pictures in the room); FashionGrid levels: {string.Join(", ", fashionLevels)}; " +
                        "or use observation: rgb for other levels");
            }
        }
        errors.Require(Levels.Distinct().Count() == Levels.Count, ConfigErrors.Join(path, "levels"), "a level is listed twice");
        for (int i = 0; i < ExcludeCombos.Count; i++)
            errors.Require(Envs.ObjectCombo.TryParse(ExcludeCombos[i], out _), ConfigErrors.Join(path, $"exclude_combos[{i}]"),
                $"expected '<colour> <object>' like 'purple key' (colours: red, green, blue, purple, yellow, grey; objects: key, ball, box, door), got '{ExcludeCombos[i]}'");
        if (Seeds != null && Levels.Count > 0 && Episodes > 0)
        {
            int perLevel = (Episodes + Levels.Count - 1) / Levels.Count;
            long available = Seeds.List?.Count ?? Seeds.Count ?? perLevel;
            errors.Require(available >= perLevel, ConfigErrors.Join(path, "seeds"),
                $"{available} seeds for up to {perLevel} episodes per level; give more seeds or fewer episodes");
        }
    }

    /// <summary>
    /// How many candidate seeds a level has: the list's length, the range's count, else unbounded (derived seeds). With
    /// <see cref="ExcludeCombos"/> the builder walks candidates until it has enough episodes that avoid them.
    /// </summary>
    public long CandidateSeeds => Seeds?.List is { Count: > 0 } list ? list.Count : Seeds?.Count ?? long.MaxValue;

    /// <summary>Environment seed of the <paramref name="k"/>-th candidate of level number <paramref name="level"/> (the k-th episode when nothing is excluded).</summary>
    public long EnvSeed(int level, int k)
    {
        if (Seeds?.List is { Count: > 0 } list) return list[k];
        if (Seeds != null) return Seeds.Start + k;
        return (long)(Runtime.Rng.Derive((ulong)Seed, 0x5EED, (ulong)level, (ulong)k).NextULong() >> 33);
    }
}

/// <summary>Environment seeds: <c>start</c> + <c>count</c> (consecutive), or an explicit <c>list</c>.</summary>
public sealed record SeedSpec : IValidatable
{
    [Doc("First seed of a consecutive range")]
    [Range(0, double.PositiveInfinity)]
    public long Start { get; init; }

    [Doc("How many consecutive seeds (default: as many as episodes per level)")]
    [Range(1, double.PositiveInfinity)]
    public int? Count { get; init; }

    [Doc("Explicit seeds (instead of start + count)")]
    public List<long>? List { get; init; }

    public void Validate(string path, ConfigErrors errors)
    {
        errors.Require(List is null || Count is null, ConfigErrors.Join(path, "list"), "give either start + count or list, not both");
        errors.Require(List is null || List.Count > 0, ConfigErrors.Join(path, "list"), "must not be empty");
    }
}
