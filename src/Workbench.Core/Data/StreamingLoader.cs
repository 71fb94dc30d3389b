using System.Runtime.ExceptionServices;
using Workbench.Runtime;

namespace Workbench.Data;

/// <summary>
/// Streams demonstration episodes from Parquet files, row group by row group.
///
/// Order. <see cref="EpochPlanner"/> derives it from counts and seeds alone: per epoch and source the row groups are
/// permuted, rank r of W takes an equal, disjoint range of episodes, cut into shuffle blocks of at least
/// <see cref="LoaderOptions.ShuffleBuffer"/> episodes, each shuffled by its own generator. With several sources, a
/// mixture generator (saved in the state) picks the source of each episode by its proportion; each source cycles
/// through its own epochs.
///
/// Memory. Per source, <see cref="SourceStream"/> decodes row groups in the background (at most
/// <see cref="LoaderOptions.DecodeThreads"/> at once) into a bounded queue of <see cref="LoaderOptions.Prefetch"/> row
/// groups read in plan order, so the order never depends on thread count and the memory held is about (prefetch + 2)
/// row groups plus one shuffle block per source — independent of the dataset size. <see cref="LoaderStats.PeakBufferedBytes"/>
/// tracks it.
///
/// Resume. <see cref="State"/> is (epoch, block, offset) per source plus the mixture generator; opening with it re-reads
/// the block's row groups, re-derives its shuffle and skips the episodes already delivered (<see cref="LoaderResume"/>
/// checks that the state belongs to these files and options).
/// </summary>
public sealed class StreamingLoader : IEpisodeStream
{
    private readonly LoaderOptions _options;
    private readonly SourceStream[] _sources;
    private readonly double[] _cumulative;
    private Rng _mixture;
    private readonly ReaderPool _pool;
    private readonly CancellationTokenSource _cancel = new();
    private readonly SemaphoreSlim _decodeSlots;
    private ExceptionDispatchInfo? _failure;
    private bool _disposed;

    public LoaderStats Stats { get; } = new();
    public string Fingerprint { get; }

    private StreamingLoader(IReadOnlyList<LoaderSource> sources, LoaderOptions options, LoaderState? resume)
    {
        options.Check();
        if (sources.Count == 0) throw new UserError("no data sources given");
        _options = options;
        _pool = new ReaderPool(options.DecodeThreads + 1);
        _decodeSlots = new SemaphoreSlim(options.DecodeThreads);
        var indexes = sources.Select((s, i) => SourceIndex.Build(i, s, options, Stats)).ToArray();
        Fingerprint = LoaderResume.Fingerprint(indexes, options);

        if (resume != null) LoaderResume.CheckState(resume, options, indexes.Length, Fingerprint);
        var shared = new LoaderShared(options, _pool, _decodeSlots, Stats, _cancel.Token);
        _sources = indexes.Select((index, i) => new SourceStream(shared, index, resume?.Sources[i])).ToArray();
        double total = sources.Sum(s => s.Proportion);
        double acc = 0;
        _cumulative = sources.Select(s => acc += s.Proportion / total).ToArray();
        _mixture = resume != null ? Rng.FromState(resume.Mixture) : Rng.Derive((ulong)options.Seed, 3);
        try
        {
            foreach (var s in _sources) s.Start();
        }
        catch
        {
            Dispose(); // stop the producers already started
            throw;
        }
    }

    public static StreamingLoader Open(IReadOnlyList<LoaderSource> sources, LoaderOptions? options = null, LoaderState? resume = null) =>
        new(sources, options ?? new LoaderOptions(), resume);

    public static StreamingLoader Open(string path, LoaderOptions? options = null, LoaderState? resume = null) =>
        new([new LoaderSource(path)], options ?? new LoaderOptions(), resume);

    /// <summary>Opens the sources of an experiment's <c>data:</c> section with its loader options.</summary>
    public static StreamingLoader Open(DataSection data, long seed, int rank = 0, int worldSize = 1, LoaderState? resume = null) =>
        new(data.Sources.Select(s => new LoaderSource(s.Path, s.Proportion)).ToList(), new LoaderOptions
        {
            Seed = seed, Rank = rank, WorldSize = worldSize, Shuffle = data.Shuffle, ShuffleBuffer = data.ShuffleBuffer,
            Prefetch = data.Prefetch, DecodeThreads = data.DecodeThreads, OnBadFile = data.OnBadFile,
        }, resume);

    /// <summary>Episodes this rank receives per epoch of source <paramref name="source"/> (the same on every rank).</summary>
    public long EpisodesPerEpoch(int source = 0) => _sources[source].Index.EpisodesPerRank;

    /// <summary>The files each source resolved to (after skipping bad ones).</summary>
    public IReadOnlyList<IReadOnlyList<DemoFileInfo>> Files => _sources.Select(s => s.Index.Files).ToList();

    public DemoEpisode Next()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _failure?.Throw(); // after a failed read the pipeline is out of step with the plan: keep failing, never skip silently
        var mixture = _mixture.State;
        try
        {
            int pick = 0;
            if (_sources.Length > 1)
            {
                double u = _mixture.NextDouble();
                while (pick < _cumulative.Length - 1 && u >= _cumulative[pick]) pick++;
            }
            var episode = _sources[pick].Next();
            Stats.Delivered();
            return episode;
        }
        catch (Exception e) when (e is not ObjectDisposedException)
        {
            _mixture = Rng.FromState(mixture); // State still names the episode that failed
            _failure = ExceptionDispatchInfo.Capture(e);
            throw;
        }
    }

    public LoaderState State =>
        new(_options.Seed, _options.Rank, _options.WorldSize, Fingerprint, _sources.Select(s => s.Position()).ToList(), _mixture.State);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _cancel.Cancel();
        foreach (var s in _sources) s.Stop();
        _pool.Dispose();
        _cancel.Dispose();
    }
}
