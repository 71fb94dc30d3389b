using System.Globalization;
using Parquet;

namespace Workbench.Data;

/// <summary>How a <see cref="DemonstrationWriter"/> lays out files.</summary>
public sealed record DemoWriterOptions
{
    /// <summary>Target rows per row group. A row group holds whole episodes: it closes before an episode that would
    /// overflow it, and an episode longer than this gets a row group of its own.</summary>
    public int RowsPerGroup { get; init; } = 4096;

    /// <summary>A shard (file) is closed once it holds at least this many rows (at a row-group boundary).</summary>
    public long ShardRows { get; init; } = 1_000_000;

    /// <summary>What the obs bytes are: symbolic | rgb | fashion (stored in the file metadata).</summary>
    public string ObsKind { get; init; } = "symbolic";

    /// <summary>Shape of one obs value as "HxWxC" (stored in the file metadata when set; readers assume 7x7x3 for symbolic files without it).</summary>
    public string? ObsShape { get; init; }

    /// <summary>Extra file-level key/value metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public CompressionMethod Compression { get; init; } = CompressionMethod.Zstd;
}

/// <summary>
/// Writes demonstration episodes to sharded Parquet files <c>part-00000.parquet</c>, <c>part-00001.parquet</c>, …
/// in a folder. Row groups never split an episode. Each shard is written to a temporary file in the same folder
/// and renamed into place when complete, so a crash never leaves a half-written <c>part-*.parquet</c>.
/// </summary>
public sealed class DemonstrationWriter : IDisposable
{
    private readonly string _folder;
    private readonly DemoWriterOptions _options;
    private readonly List<DemoEpisode> _pending = [];
    private readonly List<string> _files = [];
    private int _pendingRows;

    private FileStream? _stream;
    private ParquetWriter? _writer;
    private string? _tempPath;
    private long _shardRows;
    private readonly List<int> _shardEpisodesPerGroup = [];
    private bool _completed;

    public DemonstrationWriter(string folder, DemoWriterOptions? options = null)
    {
        _options = options ?? new DemoWriterOptions();
        if (_options.RowsPerGroup < 1) throw new ArgumentOutOfRangeException(nameof(options), "rows_per_group must be >= 1");
        if (_options.ShardRows < 1) throw new ArgumentOutOfRangeException(nameof(options), "shard_rows must be >= 1");
        _folder = folder;
        Directory.CreateDirectory(folder);
    }

    public long RowsWritten { get; private set; }
    public long EpisodesWritten { get; private set; }

    /// <summary>Completed shard files, in order.</summary>
    public IReadOnlyList<string> Files => _files;

    public static string ShardName(int index) => $"part-{index:D5}.parquet";

    public void Add(DemoEpisode episode)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (episode.Steps.Length == 0) throw new ArgumentException($"episode {episode.EpisodeId} has no steps", nameof(episode));
        if (_pendingRows > 0 && _pendingRows + episode.Steps.Length > _options.RowsPerGroup) FlushRowGroup();
        _pending.Add(episode);
        _pendingRows += episode.Steps.Length;
        if (_pendingRows >= _options.RowsPerGroup) FlushRowGroup();
    }

    /// <summary>Flushes the last row group, closes the last shard and returns every file written.</summary>
    public IReadOnlyList<string> Complete()
    {
        if (_completed) return _files;
        if (_pendingRows > 0) FlushRowGroup();
        CloseShard();
        _completed = true;
        return _files;
    }

    private void FlushRowGroup()
    {
        if (_writer is null) OpenShard();
        WriteRowGroup(_writer!, _pending, _pendingRows);
        _shardEpisodesPerGroup.Add(_pending.Count);
        _shardRows += _pendingRows;
        RowsWritten += _pendingRows;
        EpisodesWritten += _pending.Count;
        _pending.Clear();
        _pendingRows = 0;
        if (_shardRows >= _options.ShardRows) CloseShard();
    }

    private void OpenShard()
    {
        _tempPath = Path.Combine(_folder, $".{ShardName(_files.Count)}.{Guid.NewGuid():N}.tmp");
        _stream = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        _writer = ParquetWriter.CreateAsync(DemoSchema.Schema, _stream, new ParquetOptions { CompressionMethod = _options.Compression })
            .GetAwaiter().GetResult();
        _shardRows = 0;
        _shardEpisodesPerGroup.Clear();
    }

    private void CloseShard()
    {
        if (_writer is null) return;
        var metadata = new Dictionary<string, string>(_options.Metadata)
        {
            [DemoSchema.ObsKindKey] = _options.ObsKind,
            [DemoSchema.EpisodesPerRowGroupKey] = string.Join(',', _shardEpisodesPerGroup.Select(n => n.ToString(CultureInfo.InvariantCulture))),
        };
        if (_options.ObsShape != null) metadata[DemoSchema.ObsShapeKey] = _options.ObsShape;
        _writer.CustomMetadata = metadata;
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _stream!.Flush(flushToDisk: true);
        _stream.Dispose();
        string final = Path.Combine(_folder, ShardName(_files.Count));
        File.Move(_tempPath!, final, overwrite: true);
        _files.Add(final);
        (_writer, _stream, _tempPath) = (null, null, null);
    }

    private static void WriteRowGroup(ParquetWriter writer, List<DemoEpisode> episodes, int rows)
    {
        var episodeId = new long[rows];
        var level = new string[rows];
        var seed = new long[rows];
        var mission = new string[rows];
        var step = new int[rows];
        var direction = new int[rows];
        var obs = new byte[rows][];
        var action = new int[rows];
        var reward = new float[rows];
        var done = new bool[rows];
        int r = 0;
        foreach (var e in episodes)
        {
            foreach (var s in e.Steps)
            {
                episodeId[r] = e.EpisodeId; level[r] = e.Level; seed[r] = e.Seed; mission[r] = e.Mission;
                step[r] = s.Step; direction[r] = s.Direction; obs[r] = WholeArray(s.Obs); action[r] = s.Action;
                reward[r] = s.Reward; done[r] = s.Done;
                r++;
            }
        }
        using var group = writer.CreateRowGroup();
        Write(group, DemoSchema.EpisodeId, episodeId);
        Run(group.WriteAsync(DemoSchema.Level, level));
        Write(group, DemoSchema.Seed, seed);
        Run(group.WriteAsync(DemoSchema.Mission, mission));
        Write(group, DemoSchema.Step, step);
        Write(group, DemoSchema.Direction, direction);
        Run(group.WriteAsync(DemoSchema.Obs, obs));
        Write(group, DemoSchema.Action, action);
        Write(group, DemoSchema.Reward, reward);
        Write(group, DemoSchema.Done, done);
        group.CompleteValidate();
    }

    /// <summary>The array behind an observation when it is exactly that array (what generators make), else a copy
    /// (a slice of a decoded row group, when episodes read by the loader are written again).</summary>
    private static byte[] WholeArray(ReadOnlyMemory<byte> obs) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(obs, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : obs.ToArray();

    private static void Run(Task task) => task.GetAwaiter().GetResult();

    private static void Write<T>(ParquetRowGroupWriter group, Parquet.Schema.DataField field, T[] values) where T : struct =>
        group.WriteAsync<T>(field, values).GetAwaiter().GetResult();

    /// <summary>Abandons an unfinished shard (its temporary file is deleted); completed shards stay.</summary>
    public void Dispose()
    {
        if (_completed) return;
        _completed = true;
        if (_writer is null) return;
        try { _writer.DisposeAsync().AsTask().GetAwaiter().GetResult(); } catch (Exception) { /* abandoning anyway */ }
        _stream?.Dispose();
        if (_tempPath != null) File.Delete(_tempPath);
    }
}
