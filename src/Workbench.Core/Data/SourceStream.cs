using System.Diagnostics;
using System.Threading.Channels;
using Parquet;

namespace Workbench.Data;

/// <summary>What the sources of one loader share: options, the reader pool, the decode slots, the counters, cancellation.</summary>
internal sealed record LoaderShared(LoaderOptions Options, ReaderPool Pool, SemaphoreSlim DecodeSlots, LoaderStats Stats, CancellationToken Cancel);

/// <summary>
/// One source of a loader at run time: a producer task walks the epoch plans from the resume point and queues one decode
/// task per slice into a bounded channel (<see cref="LoaderOptions.Prefetch"/> deep, in plan order, so thread timing
/// never changes the order); the consumer gathers a shuffle block's slices, shuffles them by the plan and hands the
/// episodes out one by one, dropping each reference as it goes.
/// </summary>
internal sealed class SourceStream
{
    private readonly LoaderShared _shared;
    private readonly Channel<Task<SliceData>> _queue;
    private readonly object _plansGate = new();
    private readonly Dictionary<int, EpochPlan> _plans = [];
    private readonly SourcePosition? _resume;
    private Task? _producer;

    private int _epoch, _block, _offset;
    private DemoEpisode?[]? _current;
    private long[] _currentBytes = [];

    public SourceIndex Index { get; }

    private LoaderOptions Options => _shared.Options;

    public SourceStream(LoaderShared shared, SourceIndex index, SourcePosition? resume)
    {
        _shared = shared;
        Index = index;
        _resume = resume;
        (_epoch, _block, _offset) = resume is null ? (0, 0, 0) : (resume.Epoch, resume.Block, resume.Offset);
        _queue = Channel.CreateBounded<Task<SliceData>>(new BoundedChannelOptions(shared.Options.Prefetch) { SingleReader = true, SingleWriter = true });
    }

    private sealed record SliceData(DemoEpisode[] Episodes, long[] Bytes);

    public void Start()
    {
        if (_resume != null) LoaderResume.CheckPosition(_resume, Index.Planner, Plan(_epoch));
        int startBlock = _block, startEpoch = _epoch;
        _producer = Task.Run(() => Produce(startEpoch, startBlock, _shared.Cancel));
    }

    /// <summary>The plan of an epoch, derived once (the producer runs ahead of the consumer; two epochs are kept).</summary>
    private EpochPlan Plan(int epoch)
    {
        lock (_plansGate)
        {
            if (_plans.TryGetValue(epoch, out var plan)) return plan;
            foreach (int old in _plans.Keys.Where(e => e < epoch - 1).ToList()) _plans.Remove(old);
            return _plans[epoch] = Index.Planner.Plan(epoch);
        }
    }

    private async Task Produce(int epoch, int block, CancellationToken cancel)
    {
        try
        {
            for (; ; epoch++, block = 0)
            {
                var plan = Plan(epoch);
                for (int i = plan.Blocks[block].FirstSlice; i < plan.Slices.Count; i++)
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

    private async Task<SliceData> Decode(PlanSlice slice, CancellationToken cancel)
    {
        var unit = Index.Units[slice.Unit];
        string path = Index.PathOf(unit);
        await _shared.DecodeSlots.WaitAsync(cancel);
        try
        {
            DecodedRowGroup decoded;
            ParquetReader? reader = null;
            try
            {
                reader = _shared.Pool.Rent(path);
                decoded = await DemoFile.ReadRowGroupAsync(reader, path, unit.RowGroup, cancel, columns: Options.Columns);
                if (decoded.Episodes.Length != unit.Episodes)
                    throw new BadDataFileException(path, $"holds {decoded.Episodes.Length} episodes, the footer promised {unit.Episodes}", DemoSchema.EpisodeId.Name, unit.RowGroup);
            }
            catch (BadDataFileException e) when (Options.OnBadFile != BadFilePolicy.Error)
            {
                if (_shared.Stats.SkippedRowGroup(e.Message, unit.Rows) && Options.OnBadFile == BadFilePolicy.Warn)
                    (Options.Warnings ?? Console.Error).WriteLine($"warning: skipping {e.Message}");
                return new SliceData([], []);
            }
            finally
            {
                if (reader != null) _shared.Pool.Return(path, reader);
            }
            var episodes = decoded.Episodes[slice.From..slice.To];
            var bytes = decoded.EpisodeBytes[slice.From..slice.To];
            _shared.Stats.Decoded(decoded.Rows, unit.CompressedBytes, decoded.ObsBytes);
            _shared.Stats.Hold(bytes.Sum());
            return new SliceData(episodes, bytes);
        }
        finally
        {
            _shared.DecodeSlots.Release();
        }
    }

    public DemoEpisode Next()
    {
        int emptyBlocks = 0;
        while (_current is null || _offset >= _current.Length)
        {
            if (_current != null)
            {
                if (_current.Length == 0 && ++emptyBlocks > Plan(_epoch).Blocks.Count)
                    throw new UserError($"data source '{Index.Source.Path}': no readable episodes left (every row group was skipped)");
                (_epoch, _block) = NextBlock(_epoch, _block);
                _offset = 0;
            }
            LoadBlock();
        }
        var episode = _current[_offset]!;
        _current[_offset] = null;
        _shared.Stats.Release(_currentBytes[_offset]);
        _offset++;
        return episode;
    }

    private (int Epoch, int Block) NextBlock(int epoch, int block) =>
        block + 1 < Plan(epoch).Blocks.Count ? (epoch, block + 1) : (epoch + 1, 0);

    private void LoadBlock()
    {
        var block = Plan(_epoch).Blocks[_block];
        var parts = new SliceData[block.EndSlice - block.FirstSlice];
        var clock = Stopwatch.StartNew();
        for (int i = block.FirstSlice; i < block.EndSlice; i++)
        {
            try
            {
                if (!_queue.Reader.TryRead(out var task))
                    task = _queue.Reader.ReadAsync(_shared.Cancel).AsTask().GetAwaiter().GetResult();
                parts[i - block.FirstSlice] = task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_shared.Cancel.IsCancellationRequested)
            {
                throw new ObjectDisposedException(nameof(StreamingLoader));
            }
        }
        _shared.Stats.Waited(clock.Elapsed.Ticks);
        int count = parts.Sum(p => p.Episodes.Length);
        var order = Index.Planner.BlockOrder(_epoch, _block, count);
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
            _shared.Stats.Release(_currentBytes[i]);
        }
    }

    /// <summary>Where the next episode comes from (past the end of a block, that is the start of the next one).</summary>
    public SourcePosition Position()
    {
        var (epoch, block, offset) = _current != null && _offset >= _current.Length
            ? (NextBlock(_epoch, _block).Epoch, NextBlock(_epoch, _block).Block, 0)
            : (_epoch, _block, _offset);
        return LoaderResume.Position(Index, Plan(epoch), block, offset);
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
