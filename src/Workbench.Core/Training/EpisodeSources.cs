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

/// <summary>Optional: a stream that knows how many episodes its data holds (all splits), for up-front size checks.</summary>
public interface IEpisodeCount
{
    long Episodes { get; }
}

/// <summary>
/// Opens the training stream for a config's <c>data:</c> section. In-memory sources are generated at start:
/// <c>bot:&lt;Level&gt;:&lt;episodes&gt;</c> (expert-bot demos of a registered grid-world level, seeds 0…n−1) and
/// <c>dagger:&lt;Level&gt;:&lt;episodes&gt;:&lt;name@version&gt;</c> (a registered model's own episodes, labelled by the bot:
/// <see cref="DaggerSource"/>); file sources go to the
/// streaming Parquet loader (<see cref="StreamingLoader"/>). Validation episodes are the ones whose id hashes into
/// <c>validation_percent</c>; training skips them.
/// </summary>
public static class EpisodeSources
{
    /// <summary>
    /// The training stream for a model reading <paramref name="spec"/> observations. File sources must hold exactly that
    /// observation (modality and tile size); generated sources are rendered to it. With several ranks
    /// (<paramref name="shard"/>), <c>data.sharding</c> decides: split_batches wraps the single-process stream in a
    /// <see cref="BatchSliceStream"/>; rank_streams opens rank r's own shard (the loader's rank/world size).
    /// </summary>
    public static IEpisodeStream Open(DataSection data, long seed, ObservationSpec spec, LoaderState? state = null, DataShard? shard = null,
        GeneratedOptions? generatedOptions = null)
    {
        BuildDataset(data, spec);
        bool ownShard = shard is { WorldSize: > 1 } && data.Sharding == DataSharding.RankStreams;
        int rank = ownShard ? shard!.Rank : 0, worldSize = ownShard ? shard!.WorldSize : 1;
        var generated = data.Sources.Where(IsGenerated).ToList();
        IEpisodeStream inner;
        long episodes;
        if (generated.Count == data.Sources.Count && generated.Count > 0)
        {
            var demos = generated.SelectMany(s => Generated(s.Path, spec, generatedOptions)).ToList();
            inner = new InMemoryEpisodeStream(demos, seed, state, rank, worldSize);
            episodes = demos.Count;
        }
        else if (generated.Count > 0)
            throw new UserError("data.sources: generated (bot:, dagger:) sources cannot be mixed with files");
        else
        {
            var loader = OpenFiles(data, seed, spec, state, rank, worldSize);
            inner = loader;
            episodes = loader.Files.Sum(source => source.Sum(f => f.Episodes));
        }
        var training = new SplitStream(inner, data.ValidationPercent, validation: false, episodes);
        return shard is { WorldSize: > 1 } && !ownShard ? new BatchSliceStream(training, shard.GlobalBatch, shard.Rank, shard.WorldSize) : training;
    }

    /// <summary>Up to <c>validation_episodes</c> held-out episodes, read from a separate stream (one epoch at most).</summary>
    public static List<DemoEpisode> Validation(DataSection data, long seed, ObservationSpec spec, GeneratedOptions? generatedOptions = null)
    {
        var result = new List<DemoEpisode>();
        BuildDataset(data, spec);
        if (data.ValidationEpisodes == 0 || data.ValidationPercent == 0) return result;
        var open = data.Sources.All(IsGenerated)
            ? (IEpisodeStream)new InMemoryEpisodeStream(data.Sources.SelectMany(s => Generated(s.Path, spec, generatedOptions)).ToList(), seed)
            : OpenFiles(data, seed, spec, null);
        using var stream = open;
        var seen = new HashSet<(string, long)>();
        while (result.Count < data.ValidationEpisodes && stream.State.Epoch == 0)
        {
            var e = stream.Next();
            if (IsValidation(e, data.ValidationPercent) && seen.Add((e.Level, e.EpisodeId))) result.Add(e);
        }
        return result;
    }

    /// <summary>Builds <c>data.build</c> if needed; a dataset config of another observation than the model's is refused before anything is built.</summary>
    public static void BuildDataset(DataSection data, ObservationSpec spec)
    {
        if (data.Build is not { } path) return;
        var datasetConfig = (DatasetConfig)Config.ConfigLoader.LoadAs(typeof(DatasetConfig), path).Value;
        if (ObservationMismatch(spec, datasetConfig.ObservationSpec(), $"data.build: dataset '{datasetConfig.Name}' ({path})") is { } problem)
            throw new UserError(problem);
        DatasetBuilder.EnsureBuilt(path);
    }

    /// <summary>The streaming loader over the file sources, refused unless every file holds the model's observation.</summary>
    private static StreamingLoader OpenFiles(DataSection data, long seed, ObservationSpec spec, LoaderState? state, int rank = 0, int worldSize = 1)
    {
        var loader = StreamingLoader.Open(data, seed, rank, worldSize, resume: state);
        try
        {
            RequireObservation(data, loader.Files, spec);
            return loader;
        }
        catch
        {
            loader.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Every file must hold the observation the model reads (same modality and tile size); otherwise training would only
    /// fail deep inside batching, so it is refused here, naming the dataset, what it holds and what to change.
    /// </summary>
    /// <exception cref="UserError">a source holds other observations than <paramref name="spec"/>.</exception>
    public static void RequireObservation(DataSection data, IReadOnlyList<IReadOnlyList<DemoFileInfo>> files, ObservationSpec spec)
    {
        for (int i = 0; i < files.Count; i++)
        {
            foreach (var file in files[i])
            {
                string source = i < data.Sources.Count ? data.Sources[i].Path : file.Path;
                string name = file.Metadata.TryGetValue("workbench.dataset", out var n) && n.Length > 0 ? $"dataset '{n}' ({source})" : $"dataset '{source}'";
                var held = file.ObservationSpec;
                if (held is null)
                    throw new UserError($"data.sources[{i}]: {name}: {file.Path} holds '{file.ObsKind}' observations of shape {file.ObsShape ?? "unknown"} " +
                                        $"without a known tile size; the model reads {spec.Describe()}");
                if (ObservationMismatch(spec, held, $"data.sources[{i}]: {name}, e.g. {file.Path},") is { } problem) throw new UserError(problem);
            }
        }
    }

    /// <summary>Null when the data holds what the model reads; else one message naming both and what to change.</summary>
    public static string? ObservationMismatch(ObservationSpec model, ObservationSpec data, string where)
    {
        if (model == data) return null;
        string fix = data.IsPixels
            ? $"set model.observation: rgb and model.tile_size: {data.TileSize}"
            : "set model.observation: symbolic";
        string other = model.IsPixels
            ? $"train on a dataset built with observation: rgb (or fashion) and tile_size: {model.TileSize}"
            : "train on a dataset built with observation: symbolic";
        return $"{where} holds {data.Describe()} observations, but the model reads {model.Describe()}; {fix}, or {other}";
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
    /// state's hash of files and order options), else a hash of the generated sources' definitions (for a <c>dagger:</c>
    /// source, with the sha256 of the checkpoint that played its episodes).
    /// </summary>
    public static string? Fingerprint(DataSection data, IEpisodeStream stream)
    {
        if (stream is IDatasetFingerprint { Fingerprint: { } f }) return f;
        if (data.Sources.All(IsGenerated))
            return "sha256:" + Config.ConfigLoader.Sha256Hex("generator-v1;" + string.Join(";", data.Sources.Select(s => $"{s.Path}@{s.Proportion}{PlayedBy(s.Path)}")));
        return stream.State.Fingerprint;
    }

    private static readonly Dictionary<(string, ObservationSpec, string?), List<DemoEpisode>> Cache = new();
    private static readonly Dictionary<string, string> CheckpointOfSource = new();

    private static string PlayedBy(string path)
    {
        lock (Cache) return CheckpointOfSource.TryGetValue(path, out var sha) ? "#" + sha : "";
    }

    /// <summary>Where generated sources look up models (<c>dagger:</c>) and report progress.</summary>
    public sealed record GeneratedOptions(string? RegistryRoot = null, TextWriter? Progress = null);

    /// <summary>True for sources generated in memory rather than read from files.</summary>
    public static bool IsGenerated(DataSource s) => s.Path.StartsWith("bot:", StringComparison.Ordinal) || DaggerSource.Is(s.Path);

    /// <summary>Expert-bot demonstrations of a grid-world level, episode i from seed i (the dataset builder's own player), observed as <paramref name="spec"/> says.</summary>
    public static List<DemoEpisode> BotDemos(string level, int count, ObservationSpec? spec = null) =>
        Enumerable.Range(0, count)
            .Select(i => DatasetBuilder.Play(level, seed: i, episodeId: i, spec is { IsPixels: true } ? spec.TileSize : null).Episode).ToList();

    private static List<DemoEpisode> Generated(string path, ObservationSpec spec, GeneratedOptions? options)
    {
        if (DaggerSource.Is(path)) return Dagger(path, spec, options ?? new());
        var parts = path.Split(':');
        if (parts.Length != 3 || parts[0] != "bot" || !LevelRegistry.Names.Contains(parts[1])
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
            throw new UserError($"data.sources: '{path}' — expected bot:<Level>:<episodes> with a level from: {string.Join(", ", LevelRegistry.Names)}");
        lock (Cache)
        {
            if (!Cache.TryGetValue((path, spec, null), out var demos)) Cache[(path, spec, null)] = demos = BotDemos(parts[1], n, spec);
            return demos;
        }
    }

    private static List<DemoEpisode> Dagger(string path, ObservationSpec spec, GeneratedOptions options)
    {
        var source = DaggerSource.Parse(path);
        if (source.Problem(spec, options.RegistryRoot) is { } problem) throw new UserError($"data.sources: '{path}': {problem}");
        lock (Cache)
        {
            // Keyed by the checkpoint too: a version registered again (--force) plays other episodes.
            string sha = ModelVersions.Find(source.Model, options.RegistryRoot).CurrentCheckpointSha256;
            if (!Cache.TryGetValue((path, spec, sha), out var demos))
            {
                (demos, string played) = source.Collect(spec, options.RegistryRoot, options.Progress);
                Cache[(path, spec, played)] = demos;
                sha = played;
            }
            CheckpointOfSource[path] = sha;
            return demos;
        }
    }

    /// <summary>Passes through only the training (or only the validation) side of the split.</summary>
    private sealed class SplitStream(IEpisodeStream inner, int percent, bool validation, long episodes) : IEpisodeStream, IDatasetFingerprint, IEpisodeCount
    {
        public string? Fingerprint => (inner as IDatasetFingerprint)?.Fingerprint;
        public long Episodes => episodes;

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
