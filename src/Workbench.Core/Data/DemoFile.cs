using System.Globalization;
using Parquet;

namespace Workbench.Data;

/// <summary>A demonstration file that cannot be used: names the file and, where known, the row group and column.</summary>
public sealed class BadDataFileException(string file, string problem, string? column = null, int? rowGroup = null, Exception? inner = null)
    : UserError(Format(file, problem, column, rowGroup), inner)
{
    public string File { get; } = file;
    public string? Column { get; } = column;
    public int? RowGroup { get; } = rowGroup;
    public string Problem { get; } = problem;

    private static string Format(string file, string problem, string? column, int? rowGroup) =>
        $"{file}" + (rowGroup is { } g ? $", row group {g}" : "") + (column != null ? $", column '{column}'" : "") + $": {problem}";
}

/// <summary>What a reader learns from a file's footer: row groups, their sizes and episode counts.</summary>
public sealed record DemoFileInfo(string Path, string ObsKind, long Rows, long Bytes, IReadOnlyList<RowGroupInfo> RowGroups,
    IReadOnlyDictionary<string, string> Metadata)
{
    public long Episodes => RowGroups.Sum(g => (long)g.Episodes);

    /// <summary>Shape of one obs value, "HxWxC": from the file metadata, "7x7x3" for symbolic files without it, else null (unknown).</summary>
    public string? ObsShape => DemoSchema.ObsShapeOf(Metadata);

    /// <summary>Bytes of every obs value (H·W·C of <see cref="ObsShape"/>), or null when the shape is unknown.</summary>
    public long? ObsBytes => DemoSchema.ShapeBytes(ObsShape);

    /// <summary>True when the obs column holds the symbolic 7×7×3 encoding.</summary>
    public bool IsSymbolic => ObsKind == "symbolic";

    /// <summary>
    /// The observation contract of the file (modality + tile size), from its metadata: symbolic, or RGB (rgb and fashion
    /// files) at <c>workbench.tile_size</c>; null when the metadata does not say (an unknown kind, or a rendered file
    /// without a tile size).
    /// </summary>
    public Envs.ObservationSpec? ObservationSpec => ObsKind switch
    {
        "symbolic" => Envs.ObservationSpec.Symbolic,
        "rgb" or "fashion" when Metadata.TryGetValue(DemoSchema.TileSizeKey, out var t)
                               && int.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int tile)
                               && tile is >= Envs.ObservationSpec.MinTile and <= Envs.ObservationSpec.MaxTile
            => Envs.ObservationSpec.Rgb(tile),
        _ => null,
    };
}

public sealed record RowGroupInfo(int Index, long Rows, int Episodes, long CompressedBytes);

/// <summary>A decoded row group (whole episodes) and an estimate of the managed bytes it holds.</summary>
public sealed record DecodedRowGroup(DemoEpisode[] Episodes, long[] EpisodeBytes, long Rows, long ObsBytes)
{
    public long Bytes => EpisodeBytes.Sum();
}

/// <summary>
/// Opening and decoding demonstration Parquet files. Every failure becomes a <see cref="BadDataFileException"/>
/// naming the file (and the row group and column when the failure is inside one).
/// </summary>
public static class DemoFile
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    /// <summary>Reads the footer, checks magic bytes and schema, and counts episodes per row group.</summary>
    public static DemoFileInfo Open(string path)
    {
        var reader = OpenReader(path);
        try { return Describe(path, reader); }
        finally { Close(reader); }
    }

    /// <summary>Opens a reader after checking magic bytes and schema.</summary>
    public static ParquetReader OpenReader(string path)
    {
        CheckMagic(path);
        ParquetReader reader;
        try
        {
            reader = ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OperationCanceledException and not FileNotFoundException)
        {
            throw new BadDataFileException(path, $"unreadable footer ({e.GetType().Name}: {e.Message})", inner: e);
        }
        var problems = DemoSchema.Check(reader.Schema);
        if (problems.Count > 0)
        {
            Close(reader);
            var first = problems[0];
            throw new BadDataFileException(path, "schema mismatch: " + string.Join("; ", problems), first.Column);
        }
        return reader;
    }

    public static void Close(ParquetReader reader) => reader.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static void CheckMagic(string path)
    {
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"no such file: {path}", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        if (stream.Length < 12) throw new BadDataFileException(path, $"truncated: {stream.Length} bytes is too short for a Parquet file");
        Span<byte> head = stackalloc byte[4], tail = stackalloc byte[4];
        stream.ReadExactly(head);
        stream.Seek(-4, SeekOrigin.End);
        stream.ReadExactly(tail);
        if (!head.SequenceEqual(Magic))
            throw new BadDataFileException(path, $"not a Parquet file: bad magic bytes {Convert.ToHexString(head)} at the start (expected PAR1)");
        if (!tail.SequenceEqual(Magic))
            throw new BadDataFileException(path, "truncated: the footer is missing (no PAR1 magic at the end)");
    }

    private static DemoFileInfo Describe(string path, ParquetReader reader)
    {
        var metadata = reader.CustomMetadata ?? new Dictionary<string, string>();
        int[]? episodes = null;
        if (metadata.TryGetValue(DemoSchema.EpisodesPerRowGroupKey, out var text) && text.Length > 0)
        {
            episodes = text.Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            if (episodes.Length != reader.RowGroupCount) episodes = null;
        }
        var groups = new RowGroupInfo[reader.RowGroupCount];
        string? shape = DemoSchema.ObsShapeOf(metadata);
        using var handle = groups.Length > 0 && DemoSchema.ShapeBytes(shape) is not null ? System.IO.File.OpenHandle(path) : null;
        for (int g = 0; g < groups.Length; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            if (handle != null) CheckObsSizes(path, reader, handle, g, shape!);
            int count = episodes?[g] ?? CountEpisodes(path, reader, group, g);
            long compressed = reader.Metadata?.RowGroups[g].TotalCompressedSize ?? 0;
            if (compressed <= 0) compressed = reader.Metadata?.RowGroups[g].Columns.Sum(c => c.MetaData?.TotalCompressedSize ?? 0) ?? 0;
            groups[g] = new RowGroupInfo(g, group.RowCount, count, compressed);
        }
        string kind = metadata.TryGetValue(DemoSchema.ObsKindKey, out var k) ? k : "symbolic";
        return new DemoFileInfo(path, kind, groups.Sum(g => g.Rows), new FileInfo(path).Length, groups, metadata);
    }

    /// <summary>
    /// Every obs value of row group <paramref name="g"/> must be as long as the file's shape says. For PLAIN chunks (our
    /// writer's) the page headers give the exact total of the values' bytes, so one small read per row group catches a
    /// wrong-length image before anything is decoded; the decoder checks each value again (<see cref="ReadRowGroupAsync"/>).
    /// </summary>
    private static void CheckObsSizes(string path, ParquetReader reader, Microsoft.Win32.SafeHandles.SafeFileHandle handle, int g, string shape)
    {
        var chunk = ObsChunk(reader, g);
        if (chunk is null || !PlainChunkDecoder.Supports(chunk) || reader.Schema.GetDataFields().FirstOrDefault(f => f.Name == DemoSchema.Obs.Name) is not { IsNullable: false, IsArray: false })
            return;
        long rows = reader.Metadata!.RowGroups[g].NumRows, want = DemoSchema.ShapeBytes(shape)!.Value;
        long? values;
        try { values = PlainChunkDecoder.PlainValueBytes(handle, chunk); }
        catch (InvalidDataException) { return; } // a damaged page: the decoder reports it for this row group alone
        if (values is { } got && got != rows * (4 + want)) // PLAIN BYTE_ARRAY: a 4-byte length before each value
            throw new BadDataFileException(path, $"obs values are not all {want:N0} bytes ({shape}, from the file's metadata): {rows:N0} rows hold " +
                                                 $"{got - 4 * rows:N0} bytes of observations, expected {rows * want:N0}", DemoSchema.Obs.Name, g);
    }

    private static Parquet.Meta.ColumnChunk? ObsChunk(ParquetReader reader, int g) =>
        reader.Metadata?.RowGroups[g].Columns.FirstOrDefault(c => c.MetaData?.PathInSchema is [var name] && name == DemoSchema.Obs.Name);

    /// <exception cref="BadDataFileException">an obs value is not <paramref name="want"/> bytes long.</exception>
    private static void CheckObsLengths(string path, int g, ReadOnlyMemory<byte>[] obs, long? want, string? shape)
    {
        if (want is not { } n) return;
        for (int i = 0; i < obs.Length; i++)
            if (obs[i].Length != n)
                throw new BadDataFileException(path, $"row {i} has {obs[i].Length:N0} bytes, expected {n:N0} ({shape}, from the file's metadata)", DemoSchema.Obs.Name, g);
    }

    private static int CountEpisodes(string path, ParquetReader reader, ParquetRowGroupReader group, int g)
    {
        var ids = ReadColumn<long>(path, g, group, reader.Schema.GetDataFields().First(f => f.Name == DemoSchema.EpisodeId.Name));
        int count = 0;
        for (int i = 0; i < ids.Length; i++) if (i == 0 || ids[i] != ids[i - 1]) count++;
        return count;
    }

    /// <summary>Decodes a whole row group into episodes (rows of one episode are contiguous).</summary>
    public static DecodedRowGroup ReadRowGroup(ParquetReader reader, string path, int g, bool fastPath = true, IReadOnlySet<string>? columns = null) =>
        ReadRowGroupAsync(reader, path, g, default, fastPath, columns).GetAwaiter().GetResult();

    /// <param name="fastPath">decode PLAIN pages directly where a column chunk allows it (see <see cref="PlainChunkDecoder"/>);
    /// false always goes through Parquet.Net (tests compare the two).</param>
    /// <param name="columns">columns to decode (null = all); episode_id is always read, the others are left at their
    /// defaults (0, false, "" or an empty obs) — for readers that need only some columns, e.g. obs for perception.</param>
    public static async Task<DecodedRowGroup> ReadRowGroupAsync(ParquetReader reader, string path, int g, CancellationToken cancel = default,
        bool fastPath = true, IReadOnlySet<string>? columns = null)
    {
        using var group = reader.OpenRowGroupReader(g);
        int rows = checked((int)group.RowCount);
        var chunks = reader.Metadata?.RowGroups[g].Columns
            .Where(c => c.MetaData?.PathInSchema is { Count: 1 })
            .ToDictionary(c => c.MetaData!.PathInSchema[0], StringComparer.Ordinal) ?? [];
        using var handle = fastPath ? System.IO.File.OpenHandle(path) : null;
        // Optional or repeated columns carry definition/repetition levels inside their pages: Parquet.Net decodes those.
        var plainOnly = reader.Schema.GetDataFields().Where(f => !f.IsNullable && !f.IsArray).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        // Parquet.Net must be given the file's own field (its nullability sets how pages are decoded), not ours.
        var fileFields = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);

        // Each column: the PLAIN fast path when the chunk allows it, else Parquet.Net.
        PlainChunkDecoder.Chunk? Fast(Parquet.Schema.DataField field, bool owned = false)
        {
            if (handle is null || !plainOnly.Contains(field.Name) || !chunks.TryGetValue(field.Name, out var chunk) || !PlainChunkDecoder.Supports(chunk)) return null;
            try { return PlainChunkDecoder.Read(handle, chunk, rows, owned: owned); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new BadDataFileException(path, $"undecodable page ({e.GetType().Name}: {e.Message})", field.Name, g, e);
            }
        }
        bool Wanted(Parquet.Schema.DataField field) => columns is null || columns.Contains(field.Name) || field.Name == DemoSchema.EpisodeId.Name;
        async Task<T[]> Fixed<T>(Parquet.Schema.DataField field) where T : struct
        {
            if (!Wanted(field)) return new T[rows];
            using var chunk = Fast(field);
            if (chunk is null) return await ReadColumnAsync<T>(path, g, group, fileFields[field.Name], cancel);
            return typeof(T) == typeof(bool) ? (T[])(object)PlainChunkDecoder.Booleans(chunk) : PlainChunkDecoder.Fixed<T>(chunk);
        }

        var episodeId = await Fixed<long>(DemoSchema.EpisodeId);
        var starts = new List<int>();
        for (int i = 0; i < rows; i++) if (i == 0 || episodeId[i] != episodeId[i - 1]) starts.Add(i);

        // Strings are only needed at episode starts; consecutive equal values share one string.
        async Task<string[]> Strings(Parquet.Schema.DataField field)
        {
            var result = new string[starts.Count];
            if (!Wanted(field)) { Array.Fill(result, ""); return result; }
            using var chunk = Fast(field);
            if (chunk is null)
            {
                var all = await ReadRefsAsync<string>(path, g, group, fileFields[field.Name], rows, cancel);
                for (int k = 0; k < starts.Count; k++) result[k] = all[starts[k]];
                return result;
            }
            string? previous = null;
            byte[] previousBytes = [];
            for (int k = 0; k < starts.Count; k++)
            {
                var bytes = chunk.Bytes(starts[k]);
                if (previous is null || !bytes.SequenceEqual(previousBytes))
                {
                    previous = System.Text.Encoding.UTF8.GetString(bytes);
                    previousBytes = bytes.ToArray();
                }
                result[k] = previous;
            }
            return result;
        }
        // The big column: decoded into one array that the values keep (a slice each), so no value is copied after
        // decompression and the GC sees one large object per row group instead of one array per row.
        async Task<ReadOnlyMemory<byte>[]> Binary(Parquet.Schema.DataField field)
        {
            var result = new ReadOnlyMemory<byte>[rows];
            if (!Wanted(field)) return result;
            using var chunk = Fast(field, owned: true);
            if (chunk is null)
            {
                var arrays = await ReadRefsAsync<byte[]>(path, g, group, fileFields[field.Name], rows, cancel);
                for (int i = 0; i < rows; i++) result[i] = arrays[i];
                return result;
            }
            for (int i = 0; i < rows; i++) result[i] = chunk.Memory(i);
            return result;
        }

        var level = await Strings(DemoSchema.Level);
        var seed = await Fixed<long>(DemoSchema.Seed);
        var mission = await Strings(DemoSchema.Mission);
        var step = await Fixed<int>(DemoSchema.Step);
        var direction = await Fixed<int>(DemoSchema.Direction);
        var obs = await Binary(DemoSchema.Obs);
        string? obsShape = DemoSchema.ObsShapeOf(reader.CustomMetadata);
        if (Wanted(DemoSchema.Obs)) CheckObsLengths(path, g, obs, DemoSchema.ShapeBytes(obsShape), obsShape);
        var action = await Fixed<int>(DemoSchema.Action);
        var reward = await Fixed<float>(DemoSchema.Reward);
        var done = await Fixed<bool>(DemoSchema.Done);

        var result = new DemoEpisode[starts.Count];
        var episodeBytes = new long[starts.Count];
        long obsBytes = 0;
        for (int k = 0; k < starts.Count; k++)
        {
            int from = starts[k], to = k + 1 < starts.Count ? starts[k + 1] : rows;
            var steps = new DemoStep[to - from];
            for (int r = from; r < to; r++)
            {
                steps[r - from] = new DemoStep(step[r], direction[r], obs[r], action[r], reward[r], done[r]);
                obsBytes += obs[r].Length;
            }
            var episode = new DemoEpisode(episodeId[from], level[k], seed[from], mission[k], steps);
            result[k] = episode;
            episodeBytes[k] = EstimateBytes(episode);
        }
        return new DecodedRowGroup(result, episodeBytes, rows, obsBytes);
    }

    /// <summary>One binary column of a row group (e.g. obs), through the PLAIN fast path where possible (values are
    /// slices of one decoded buffer) — the raw read underneath the loader, without episodes (for benchmarks and column scans).</summary>
    public static ReadOnlyMemory<byte>[] ReadBinaryColumn(ParquetReader reader, string path, int g, Parquet.Schema.DataField field)
    {
        long rows = reader.Metadata?.RowGroups[g].NumRows ?? 0;
        var chunk = reader.Metadata?.RowGroups[g].Columns.FirstOrDefault(c => c.MetaData?.PathInSchema is [var name] && name == field.Name);
        var fileField = reader.Schema.GetDataFields().FirstOrDefault(f => f.Name == field.Name);
        var values = new ReadOnlyMemory<byte>[rows];
        if (chunk != null && fileField is { IsNullable: false, IsArray: false } && PlainChunkDecoder.Supports(chunk))
        {
            using var handle = System.IO.File.OpenHandle(path);
            PlainChunkDecoder.Chunk? decoded;
            try { decoded = PlainChunkDecoder.Read(handle, chunk, rows, owned: true); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new BadDataFileException(path, $"undecodable page ({e.GetType().Name}: {e.Message})", field.Name, g, e);
            }
            if (decoded != null)
            {
                using (decoded)
                {
                    for (int i = 0; i < values.Length; i++) values[i] = decoded.Memory(i);
                    return values;
                }
            }
        }
        using var group = reader.OpenRowGroupReader(g);
        var arrays = ReadRefsAsync<byte[]>(path, g, group, fileField ?? field, checked((int)group.RowCount), default).GetAwaiter().GetResult();
        for (int i = 0; i < values.Length; i++) values[i] = arrays[i];
        return values;
    }

    /// <summary>Managed bytes an episode holds: its objects, obs arrays and (shared) strings — an estimate used for
    /// the loader's memory accounting, not an exact heap size.</summary>
    public static long EstimateBytes(DemoEpisode episode)
    {
        long bytes = 64 + 2L * (episode.Level.Length + episode.Mission.Length) + 24 + 8L * episode.Steps.Length;
        foreach (var s in episode.Steps) bytes += 48 + 24 + s.Obs.Length;
        return bytes;
    }

    internal static async Task<T[]> ReadColumnAsync<T>(string path, int g, ParquetRowGroupReader group, Parquet.Schema.DataField field, CancellationToken cancel) where T : struct
    {
        var values = new T[group.RowCount];
        await Guard(path, g, field.Name, () => group.ReadAsync<T>(field, values.AsMemory(), null, cancel).AsTask());
        return values;
    }

    internal static T[] ReadColumn<T>(string path, int g, ParquetRowGroupReader group, Parquet.Schema.DataField field) where T : struct =>
        ReadColumnAsync<T>(path, g, group, field, default).GetAwaiter().GetResult();

    internal static async Task<T[]> ReadRefsAsync<T>(string path, int g, ParquetRowGroupReader group, Parquet.Schema.DataField field, int rows, CancellationToken cancel)
        where T : class
    {
        var values = new T?[rows];
        if (typeof(T) == typeof(string))
            await Guard(path, g, field.Name, () => group.ReadAsync(field, ((string?[])(object)values).AsMemory(), null, cancel).AsTask());
        else
            await Guard(path, g, field.Name, () => group.ReadAsync(field, ((byte[]?[])(object)values).AsMemory(), null, cancel).AsTask());
        return NotNull(values, path, g, field.Name);
    }

    private static T[] NotNull<T>(T?[] values, string path, int g, string column) where T : class
    {
        for (int i = 0; i < values.Length; i++)
            if (values[i] is null) throw new BadDataFileException(path, $"null value at row {i}", column, g);
        return values!;
    }

    private static async Task Guard(string path, int g, string column, Func<Task> read)
    {
        try
        {
            await read();
        }
        catch (Exception e) when (e is not OperationCanceledException and not BadDataFileException)
        {
            throw new BadDataFileException(path, $"undecodable page ({e.GetType().Name}: {e.Message})", column, g, e);
        }
    }
}
