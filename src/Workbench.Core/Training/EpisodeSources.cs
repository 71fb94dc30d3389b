using System.Globalization;
using Workbench.Data;
using Workbench.Envs;

namespace Workbench.Training;

/// <summary>The part of the training data one process of a data-parallel run trains on: rank of world size, and the global batch.</summary>
public sealed record DataShard(int Rank, int WorldSize, int GlobalBatch);

/// <summary>Optional: a stream that can name the exact data it reads (e.g. a hash of the Parquet files), for run provenance.</summary>
public interface IDatasetFingerprint
{
    string? Fingerprint { get; }
}

/// <summary>
/// Opens the training stream for a config's <c>data:</c> section. In-memory sources are generated at start:
/// <c>bot:&lt;Level&gt;:&lt;episodes&gt;</c> (expert-bot demos of a registered grid-world level, seeds 0…n−1); file sources go to the
/// streaming Parquet loader (<see cref="StreamingLoader"/>). Validation episodes are the ones whose id hashes into
/// <c>validation_percent</c>; training skips them.
/// </summary>
public static class EpisodeSources
{
    /// <summary>
    /// The training stream of this process. With several ranks (<paramref name="shard"/>), <c>data.sharding</c> decides:
    /// split_batches wraps the single-process stream in a <see cref="BatchSliceStream"/>; rank_streams opens rank r's
    /// own shard (the loader's rank/world size).
    /// </summary>
    public static IEpisodeStream Open(DataSection data, long seed, LoaderState? state = null, DataShard? shard = null)
    {
        BuildRecipe(data);
        bool ownShard = shard is { WorldSize: > 1 } && data.Sharding == DataSharding.RankStreams;
        int rank = ownShard ? shard!.Rank : 0, worldSize = ownShard ? shard!.WorldSize : 1;
        var generated = data.Sources.Where(IsGenerated).ToList();
        IEpisodeStream inner;
        if (generated.Count == data.Sources.Count && generated.Count > 0)
            inner = new InMemoryEpisodeStream(generated.SelectMany(s => Generated(s.Path)).ToList(), seed, state, rank, worldSize);
        else if (generated.Count > 0)
            throw new UserError("data.sources: generated (bot:) sources cannot be mixed with files");
        else
            inner = OpenFiles(data, seed, state, rank, worldSize);
        var training = new SplitStream(inner, data.ValidationPercent, validation: false);
        return shard is { WorldSize: > 1 } && !ownShard ? new BatchSliceStream(training, shard.GlobalBatch, shard.Rank, shard.WorldSize) : training;
    }

    /// <summary>Up to <c>validation_episodes</c> held-out episodes, read from a separate stream (one epoch at most).</summary>
    public static List<DemoEpisode> Validation(DataSection data, long seed)
    {
        var result = new List<DemoEpisode>();
        BuildRecipe(data);
        if (data.ValidationEpisodes == 0 || data.ValidationPercent == 0) return result;
        var open = data.Sources.All(IsGenerated)
            ? (IEpisodeStream)new InMemoryEpisodeStream(data.Sources.SelectMany(s => Generated(s.Path)).ToList(), seed)
            : OpenFiles(data, seed, null);
        using var stream = open;
        var seen = new HashSet<(string, long)>();
        while (result.Count < data.ValidationEpisodes && stream.State.Epoch == 0)
        {
            var e = stream.Next();
            if (IsValidation(e, data.ValidationPercent) && seen.Add((e.Level, e.EpisodeId))) result.Add(e);
        }
        return result;
    }

    /// <summary>Builds <c>data.recipe</c> if needed; a recipe of rendered observations is refused before anything is built.</summary>
    public static void BuildRecipe(DataSection data)
    {
        if (data.Recipe is not { } path) return;
        var recipe = (DatasetRecipe)Config.ConfigLoader.LoadAs(typeof(DatasetRecipe), path).Value;
        if (recipe.Observation != ObservationKind.Symbolic)
            throw new UserError($"data.recipe: dataset '{recipe.Name}' ({path}) has observation: {DatasetBuilder.ObsKindName(recipe.Observation)} " +
                                $"({DatasetBuilder.ObsShape(recipe)} per step), but the model families read symbolic observations " +
                                $"({DemoSchema.SymbolicShape}); train on a recipe with observation: symbolic");
        DatasetBuilder.EnsureBuilt(path);
    }

    /// <summary>The streaming loader over the file sources, refused unless every file holds symbolic observations.</summary>
    private static StreamingLoader OpenFiles(DataSection data, long seed, LoaderState? state, int rank = 0, int worldSize = 1)
    {
        var loader = StreamingLoader.Open(data, seed, rank, worldSize, resume: state);
        try
        {
            RequireSymbolic(data, loader.Files);
            return loader;
        }
        catch
        {
            loader.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The model families read the symbolic 7×7×3 observation; a dataset of rendered images (rgb, fashion) would only
    /// fail deep inside batching, so it is refused here, naming the dataset and what it holds.
    /// </summary>
    /// <exception cref="UserError">a source holds non-symbolic observations.</exception>
    public static void RequireSymbolic(DataSection data, IReadOnlyList<IReadOnlyList<DemoFileInfo>> files)
    {
        for (int i = 0; i < files.Count; i++)
        {
            if (files[i].FirstOrDefault(f => !f.IsSymbolic) is not { } file) continue;
            string source = i < data.Sources.Count ? data.Sources[i].Path : file.Path;
            string name = file.Metadata.TryGetValue("workbench.dataset", out var n) && n.Length > 0 ? $"dataset '{n}' ({source})" : $"dataset '{source}'";
            throw new UserError($"data.sources[{i}]: {name} holds {file.ObsKind} observations ({file.ObsShape ?? "shape unknown"} per step, e.g. " +
                                $"{file.Path}), but the model families read symbolic observations ({DemoSchema.SymbolicShape}); " +
                                "train on a dataset built with observation: symbolic");
        }
    }

    /// <summary>Deterministic split by a hash of (level, episode id): stable across loaders and runs.</summary>
    public static bool IsValidation(DemoEpisode e, int percent)
    {
        ulong h = 1469598103934665603UL;
        foreach (char c in e.Level) h = (h ^ c) * 1099511628211UL;
        h = (h ^ (ulong)e.EpisodeId) * 0x9E3779B97F4A7C15UL;
        return (int)((h >> 33) % 100) < percent;
    }

    /// <summary>
    /// Identifies the training data: the stream's own fingerprint (<see cref="IDatasetFingerprint"/>, or the loader
    /// state's hash of files and order options), else a hash of the generated sources' definitions.
    /// </summary>
    public static string? Fingerprint(DataSection data, IEpisodeStream stream)
    {
        if (stream is IDatasetFingerprint { Fingerprint: { } f }) return f;
        if (data.Sources.All(IsGenerated))
            return "sha256:" + Config.ConfigLoader.Sha256Hex("generator-v1;" + string.Join(";", data.Sources.Select(s => $"{s.Path}@{s.Proportion}")));
        return stream.State.Fingerprint;
    }

    private static readonly Dictionary<string, List<DemoEpisode>> Cache = new();

    /// <summary>True for sources generated in memory rather than read from files.</summary>
    public static bool IsGenerated(DataSource s) => s.Path.StartsWith("bot:", StringComparison.Ordinal);

    /// <summary>Expert-bot demonstrations of a grid-world level, episode i from seed i (the dataset builder's own player).</summary>
    public static List<DemoEpisode> BotDemos(string level, int count) =>
        Enumerable.Range(0, count).Select(i => DatasetBuilder.Play(level, seed: i, episodeId: i).Episode).ToList();

    private static List<DemoEpisode> Generated(string path)
    {
        var parts = path.Split(':');
        if (parts.Length != 3 || parts[0] != "bot" || !LevelRegistry.Names.Contains(parts[1])
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
            throw new UserError($"data.sources: '{path}' — expected bot:<Level>:<episodes> with a level from: {string.Join(", ", LevelRegistry.Names)}");
        lock (Cache)
        {
            if (!Cache.TryGetValue(path, out var demos)) Cache[path] = demos = BotDemos(parts[1], n);
            return demos;
        }
    }

    /// <summary>Passes through only the training (or only the validation) side of the split.</summary>
    private sealed class SplitStream(IEpisodeStream inner, int percent, bool validation) : IEpisodeStream, IDatasetFingerprint
    {
        public string? Fingerprint => (inner as IDatasetFingerprint)?.Fingerprint;

        public LoaderState State => inner.State;

        public DemoEpisode Next()
        {
            for (int guard = 0; guard < 1_000_000; guard++)
            {
                var e = inner.Next();
                if (IsValidation(e, percent) == validation) return e;
            }
            throw new UserError("data: no training episodes left after the validation split (lower data.validation_percent)");
        }

        public void Dispose() => inner.Dispose();
    }
}
