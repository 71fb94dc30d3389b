using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Parquet;
using Workbench.Runtime;

namespace Workbench.Data;

/// <summary>
/// Streams demonstration episodes from Parquet files, row group by row group.
///
/// Order. Each epoch, each source's row groups are permuted with a generator derived from (seed, source, epoch).
/// The permuted row groups form a virtual sequence of episodes; rank r of W takes the contiguous range
/// [r·m, (r+1)·m) with m = ⌊E/W⌋, so shards are disjoint, every rank gets exactly m episodes per epoch (no rank
/// runs dry) and at most W−1 episodes of the epoch are left out (truncation; which ones changes every epoch). A rank's
/// range is cut into shuffle blocks — consecutive row groups holding at least <see cref="LoaderOptions.ShuffleBuffer"/>
/// episodes — and each block is shuffled with a generator derived from (seed, source, epoch, block). With several
/// sources, a mixture generator (saved in the state) picks the source of each episode by its proportion; each source
/// cycles through its own epochs.
///
/// Memory. Background tasks decode row groups (at most <see cref="LoaderOptions.DecodeThreads"/> at once) into a bounded
/// channel of <see cref="LoaderOptions.Prefetch"/> row groups read in plan order, so the order never depends on thread
/// count and the memory held is about (prefetch + 2) row groups plus one shuffle block per source — independent of the
/// dataset size. <see cref="LoaderStats.PeakBufferedBytes"/> tracks it.
///
/// Resume. <see cref="State"/> is (epoch, block, offset) per source plus the mixture generator; opening with it re-reads
/// the block's row groups, re-derives its shuffle and skips the episodes already delivered.
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
        Fingerprint = ComputeFingerprint(indexes, options);

        if (resume != null) CheckResumable(resume, indexes.Length);
        _sources = indexes.Select((index, i) => new SourceStream(this, index, resume?.Sources[i])).ToArray();
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
            _failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            throw;
        }
    }

    private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _failure;

    public LoaderState State =>
        new(_options.Seed, _options.Rank, _options.WorldSize, Fingerprint, _sources.Select(s => s.Position()).ToList(), _mixture.State);

    private void CheckResumable(LoaderState state, int sourceCount)
    {
        string why =
            state.Seed != _options.Seed ? $"seed {state.Seed} ≠ {_options.Seed}" :
            state.Rank != _options.Rank || state.WorldSize != _options.WorldSize ? $"rank {state.Rank}/{state.WorldSize} ≠ {_options.Rank}/{_options.WorldSize}" :
            state.Sources.Count != sourceCount ? $"{state.Sources.Count} sources ≠ {sourceCount}" :
            state.Fingerprint != Fingerprint ? "the files or the order options (shuffle, shuffle_buffer) changed" : "";
        if (why.Length > 0) throw new UserError($"cannot resume the data loader from the saved state: {why}");
    }

    private static string ComputeFingerprint(SourceIndex[] indexes, LoaderOptions options)
    {
        var text = new StringBuilder($"v1|{options.Seed}|{options.Shuffle}|{options.ShuffleBuffer}|{options.WorldSize}");
        foreach (var index in indexes)
        {
            text.Append($"|{index.Source.Proportion}");
            foreach (var f in index.Files)
                text.Append($"|{Path.GetFileName(f.Path)}:{string.Join(',', f.RowGroups.Select(g => $"{g.Rows}/{g.Episodes}"))}");
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _cancel.Cancel();
        foreach (var s in _sources) s.Stop();
        _pool.Dispose();
        _cancel.Dispose();
    }

    // ---- one source: index, epoch plans, prefetch pipeline, shuffle block ----

    private sealed record Unit(int File, int RowGroup, int Episodes, long Rows, long CompressedBytes);

    private sealed record Slice(int Unit, int From, int To)
    {
        public int Count => To - From;
    }

    private sealed record Block(int FirstSlice, int EndSlice);

    private sealed record EpochPlan(int Epoch, Slice[] Slices, Block[] Blocks);

    private sealed class SourceIndex
    {
        public required int Number { get; init; }
        public required LoaderSource Source { get; init; }
        public required List<DemoFileInfo> Files { get; init; }
        public required Unit[] Units { get; init; }
        public required long EpisodesPerRank { get; init; }

        public static SourceIndex Build(int number, LoaderSource source, LoaderOptions options, LoaderStats stats)
        {
            var files = new List<DemoFileInfo>();
            foreach (var path in DataPaths.Resolve(source.Path))
            {
                try
                {
                    files.Add(DemoFile.Open(path));
                }
                catch (BadDataFileException e) when (options.OnBadFile != BadFilePolicy.Error)
                {
                    stats.SkippedFile(e.Message, 0); // a file that cannot be opened has no trustworthy row count
                    if (options.OnBadFile == BadFilePolicy.Warn) (options.Warnings ?? Console.Error).WriteLine($"warning: skipping {e.Message}");
                }
            }
            var units = files.SelectMany((f, fi) => f.RowGroups.Where(g => g.Episodes > 0)
                .Select(g => new Unit(fi, g.Index, g.Episodes, g.Rows, g.CompressedBytes))).ToArray();
            long total = units.Sum(u => (long)u.Episodes);
            if (total == 0) throw new UserError($"data source '{source.Path}': no readable episodes");
            long perRank = total / options.WorldSize;
            if (perRank == 0) throw new UserError($"data source '{source.Path}': {total} episodes cannot be shared by {options.WorldSize} ranks");
            return new SourceIndex { Number = number, Source = source, Files = files, Units = units, EpisodesPerRank = perRank };
        }

        public EpochPlan Plan(int epoch, LoaderOptions options)
        {
            var order = Enumerable.Range(0, Units.Length).ToArray();
            if (options.Shuffle) Rng.Derive((ulong)options.Seed, 1, (ulong)Number, (ulong)epoch).Shuffle(order);
            long begin = options.Rank * EpisodesPerRank, end = begin + EpisodesPerRank, cum = 0;
            var slices = new List<Slice>();
            foreach (int u in order)
            {
                long from = Math.Max(cum, begin), to = Math.Min(cum + Units[u].Episodes, end);
                if (from < to) slices.Add(new Slice(u, (int)(from - cum), (int)(to - cum)));
                cum += Units[u].Episodes;
                if (cum >= end) break;
            }
            var blocks = new List<Block>();
            int first = 0, acc = 0;
            for (int i = 0; i < slices.Count; i++)
            {
                acc += slices[i].Count;
                if (acc >= Math.Max(1, options.ShuffleBuffer) || i == slices.Count - 1)
                {
                    blocks.Add(new Block(first, i + 1));
                    (first, acc) = (i + 1, 0);
                }
            }
            return new EpochPlan(epoch, [.. slices], [.. blocks]);
        }
    }

    private sealed record SliceData(DemoEpisode[] Episodes, long[] Bytes);

    private sealed class SourceStream(StreamingLoader owner, SourceIndex index, SourcePosition? resume)
    {
        public SourceIndex Index { get; } = index;
        private readonly Channel<Task<SliceData>> _queue = Channel.CreateBounded<Task<SliceData>>(
            new BoundedChannelOptions(owner._options.Prefetch) { SingleReader = true, SingleWriter = true });
        private readonly object _plansGate = new();
        private readonly Dictionary<int, EpochPlan> _plans = [];
        private Task? _producer;

        private int _epoch = resume?.Epoch ?? 0;
        private int _block = resume?.Block ?? 0;
        private int _offset = resume?.Offset ?? 0;
        private DemoEpisode?[]? _current;
        private long[] _currentBytes = [];

        private LoaderOptions Options => owner._options;

        public void Start()
        {
            var plan = Plan(_epoch);
            if (_block >= plan.Blocks.Length) throw new UserError($"cannot resume the data loader: block {_block} does not exist in epoch {_epoch}");
            if (resume != null && !resume.ShuffleRng.Equals(ShuffleRng(_epoch, _block)))
                throw new UserError("cannot resume the data loader: the saved shuffle generator does not match this version of the loader");
            int startBlock = _block, startEpoch = _epoch;
            _producer = Task.Run(() => Produce(startEpoch, startBlock, owner._cancel.Token));
        }

        private EpochPlan Plan(int epoch)
        {
            lock (_plansGate)
            {
                if (_plans.TryGetValue(epoch, out var plan)) return plan;
                foreach (int old in _plans.Keys.Where(e => e < epoch - 1).ToList()) _plans.Remove(old);
                return _plans[epoch] = Index.Plan(epoch, Options);
            }
        }

        private RngState ShuffleRng(int epoch, int block) =>
            Rng.Derive((ulong)Options.Seed, 2, (ulong)Index.Number, (ulong)epoch, (ulong)block).State;

        private async Task Produce(int epoch, int block, CancellationToken cancel)
        {
            try
            {
                for (; ; epoch++, block = 0)
                {
                    var plan = Plan(epoch);
                    for (int i = plan.Blocks[block].FirstSlice; i < plan.Slices.Length; i++)
                    {
                        var slice = plan.Slices[i];
                        var decode = Task.Run(() => Decode(slice, cancel), cancel);
                        await _queue.Writer.WriteAsync(decode, cancel);
                    }
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested) { }
            catch (ChannelClosedException) { }
        }

        private async Task<SliceData> Decode(Slice slice, CancellationToken cancel)
        {
            var unit = Index.Units[slice.Unit];
            string path = Index.Files[unit.File].Path;
            await owner._decodeSlots.WaitAsync(cancel);
            try
            {
                DecodedRowGroup decoded;
                ParquetReader? reader = null;
                try
                {
                    reader = owner._pool.Rent(path);
                    decoded = await DemoFile.ReadRowGroupAsync(reader, path, unit.RowGroup, cancel, columns: Options.Columns);
                    if (decoded.Episodes.Length != unit.Episodes)
                        throw new BadDataFileException(path, $"holds {decoded.Episodes.Length} episodes, the footer promised {unit.Episodes}", DemoSchema.EpisodeId.Name, unit.RowGroup);
                }
                catch (BadDataFileException e) when (Options.OnBadFile != BadFilePolicy.Error)
                {
                    if (owner.Stats.SkippedRowGroup(e.Message, unit.Rows) && Options.OnBadFile == BadFilePolicy.Warn)
                        (Options.Warnings ?? Console.Error).WriteLine($"warning: skipping {e.Message}");
                    return new SliceData([], []);
                }
                finally
                {
                    if (reader != null) owner._pool.Return(path, reader);
                }
                var episodes = decoded.Episodes[slice.From..slice.To];
                var bytes = decoded.EpisodeBytes[slice.From..slice.To];
                owner.Stats.Decoded(decoded.Rows, unit.CompressedBytes, decoded.ObsBytes);
                owner.Stats.Hold(bytes.Sum());
                return new SliceData(episodes, bytes);
            }
            finally
            {
                owner._decodeSlots.Release();
            }
        }

        public DemoEpisode Next()
        {
            int emptyBlocks = 0;
            while (_current is null || _offset >= _current.Length)
            {
                if (_current != null)
                {
                    if (_current.Length == 0 && ++emptyBlocks > Plan(_epoch).Blocks.Length)
                        throw new UserError($"data source '{Index.Source.Path}': no readable episodes left (every row group was skipped)");
                    (_epoch, _block) = NextBlock(_epoch, _block);
                    _offset = 0;
                }
                LoadBlock();
            }
            var episode = _current[_offset]!;
            _current[_offset] = null;
            owner.Stats.Release(_currentBytes[_offset]);
            _offset++;
            return episode;
        }

        private (int Epoch, int Block) NextBlock(int epoch, int block) =>
            block + 1 < Plan(epoch).Blocks.Length ? (epoch, block + 1) : (epoch + 1, 0);

        private void LoadBlock()
        {
            var plan = Plan(_epoch);
            var block = plan.Blocks[_block];
            var parts = new SliceData[block.EndSlice - block.FirstSlice];
            var clock = Stopwatch.StartNew();
            for (int i = block.FirstSlice; i < block.EndSlice; i++)
            {
                try
                {
                    if (!_queue.Reader.TryRead(out var task))
                        task = _queue.Reader.ReadAsync(owner._cancel.Token).AsTask().GetAwaiter().GetResult();
                    parts[i - block.FirstSlice] = task.GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (owner._disposed)
                {
                    throw new ObjectDisposedException(nameof(StreamingLoader));
                }
            }
            owner.Stats.Waited(clock.Elapsed.Ticks);
            int count = parts.Sum(p => p.Episodes.Length);
            var order = new int[count];
            for (int i = 0; i < count; i++) order[i] = i;
            if (Options.Shuffle && Options.ShuffleBuffer > 0) Rng.FromState(ShuffleRng(_epoch, _block)).Shuffle(order);
            var episodes = new DemoEpisode[count];
            var bytes = new long[count];
            int n = 0;
            foreach (var part in parts)
            {
                part.Episodes.CopyTo(episodes, n);
                part.Bytes.CopyTo(bytes, n);
                n += part.Episodes.Length;
            }
            _current = new DemoEpisode?[count];
            _currentBytes = new long[count];
            for (int i = 0; i < count; i++) (_current[i], _currentBytes[i]) = (episodes[order[i]], bytes[order[i]]);
            for (int i = 0; i < Math.Min(_offset, _current.Length); i++)
            {
                _current[i] = null;
                owner.Stats.Release(_currentBytes[i]);
            }
        }

        public SourcePosition Position()
        {
            var (epoch, block, offset) = _current != null && _offset >= _current.Length
                ? (NextBlock(_epoch, _block).Epoch, NextBlock(_epoch, _block).Block, 0)
                : (_epoch, _block, _offset);
            var plan = Plan(epoch);
            var first = Index.Units[plan.Slices[plan.Blocks[block].FirstSlice].Unit];
            return new SourcePosition(epoch, block, offset, Path.GetFileName(Index.Files[first.File].Path), first.RowGroup, ShuffleRng(epoch, block));
        }

        public void Stop()
        {
            _queue.Writer.TryComplete();
            try { _producer?.Wait(); } catch (AggregateException) { }
            while (_queue.Reader.TryRead(out var pending))
            {
                try { pending.Wait(); } catch (AggregateException) { }
            }
        }
    }

    /// <summary>Open readers kept for reuse (footer parsed once per file and thread); bounded, so memory does not grow with file count.</summary>
    private sealed class ReaderPool(int capacity) : IDisposable
    {
        private readonly List<(string Path, ParquetReader Reader)> _idle = [];
        private bool _disposed;

        public ParquetReader Rent(string path)
        {
            lock (_idle)
            {
                int i = _idle.FindIndex(x => x.Path == path);
                if (i >= 0)
                {
                    var reader = _idle[i].Reader;
                    _idle.RemoveAt(i);
                    return reader;
                }
            }
            return DemoFile.OpenReader(path);
        }

        public void Return(string path, ParquetReader reader)
        {
            ParquetReader? evicted = reader;
            lock (_idle)
            {
                if (!_disposed)
                {
                    _idle.Add((path, reader));
                    evicted = null;
                    if (_idle.Count > capacity)
                    {
                        evicted = _idle[0].Reader;
                        _idle.RemoveAt(0);
                    }
                }
            }
            if (evicted != null) DemoFile.Close(evicted);
        }

        public void Dispose()
        {
            List<(string, ParquetReader)> idle;
            lock (_idle)
            {
                _disposed = true;
                idle = [.. _idle];
                _idle.Clear();
            }
            foreach (var (_, reader) in idle) DemoFile.Close(reader);
        }
    }
}
