using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace Workbench.Evals.Records;

/// <summary>
/// Which run a result file holds, stored in its Parquet key-value metadata: the part of the suite
/// (<c>k/N</c>; <c>1/1</c> = the whole suite, as written by an unsharded run or by <c>eval merge</c>), the hash of
/// the resolved suite, and the policy. <c>eval merge</c> reads it to refuse a missing or duplicated shard.
/// </summary>
public sealed record ResultFileInfo(string Shard, string SuiteSha256, string Policy)
{
    public const string ShardKey = "workbench.shard";
    public const string SuiteSha256Key = "workbench.suite_sha256";
    public const string PolicyKey = "workbench.policy";

    public Dictionary<string, string> ToMetadata() => new() { [ShardKey] = Shard, [SuiteSha256Key] = SuiteSha256, [PolicyKey] = Policy };

    /// <summary>Null when the file predates this metadata (or another tool wrote it).</summary>
    public static ResultFileInfo? FromMetadata(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(ShardKey, out var shard)
            ? new ResultFileInfo(shard, metadata.GetValueOrDefault(SuiteSha256Key, ""), metadata.GetValueOrDefault(PolicyKey, ""))
            : null;
}

/// <summary>
/// Reads and writes eval result files: one Parquet row per episode, the columns of <see cref="EpisodeRecord"/> through
/// Parquet.Net's serializer (names and types declared once, on the record). Async all the way; the synchronous
/// <see cref="Read"/>/<see cref="Write"/> go through the documented sync boundary (<see cref="Runtime.Blocking"/>).
/// </summary>
public static class EpisodeRecordFile
{
    public static readonly ParquetSchema Schema = typeof(EpisodeRecord).GetParquetSchema(forWriting: true);

    // Columns that files written by older versions lack: such a file is refused with "re-run", not as a stranger.
    private static readonly string[] NewerColumns = ["checkpoint_sha256", "suite_sha256", "code_commit", "harm_attempted", "first_faced_class"];

    private static ParquetOptions Options => new() { CompressionMethod = CompressionMethod.Snappy };

    /// <summary>
    /// Writes the records (in canonical order) atomically: readers never see a half-written file. <paramref name="metadata"/>
    /// goes to the file's Parquet key-value metadata (file-level facts such as the shard).
    /// </summary>
    public static Task WriteAsync(string path, IReadOnlyList<EpisodeRecord> records, IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancel = default)
    {
        var sorted = records.Order(EpisodeOrder.Instance).ToArray();
        return Runtime.AtomicFile.WriteAsync(path, stream => ParquetSerializer.SerializeAsync(sorted, stream, Options, metadata, cancel));
    }

    public static void Write(string path, IReadOnlyList<EpisodeRecord> records, IReadOnlyDictionary<string, string>? metadata = null) =>
        Runtime.Blocking.Wait(() => WriteAsync(path, records, metadata));

    /// <summary>Writes the records with the file's shard/suite/policy facts (<see cref="ResultFileInfo"/>) in its metadata.</summary>
    public static void Write(string path, IReadOnlyList<EpisodeRecord> records, ResultFileInfo? info) => Write(path, records, info?.ToMetadata());

    /// <summary>The file's Parquet key-value metadata (empty when it has none).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ReadMetadataAsync(string path, CancellationToken cancel = default)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: result file not found");
        await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancel);
        return reader.CustomMetadata ?? new Dictionary<string, string>();
    }

    /// <summary>The records of a result file; a <see cref="UserError"/> naming the file when it is missing, unreadable or of another schema.</summary>
    public static async Task<IReadOnlyList<EpisodeRecord>> ReadAsync(string path, CancellationToken cancel = default)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: result file not found");
        try
        {
            await using (var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancel))
                CheckSchema(path, reader.Schema);
            var result = await ParquetSerializer.DeserializeAsync<EpisodeRecord>(path, Options, cancellationToken: cancel);
            return result.Data.ToList();
        }
        catch (Exception e) when (e is not UserError and not OperationCanceledException)
        {
            throw new UserError($"{path}: not a readable eval result file ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>Which shard of which suite and policy a result file holds (its metadata); null when it has none.</summary>
    public static ResultFileInfo? ReadInfo(string path) => ResultFileInfo.FromMetadata(Runtime.Blocking.Wait(() => ReadMetadataAsync(path)));

    public static IReadOnlyList<EpisodeRecord> Read(string path) => Runtime.Blocking.Wait(() => ReadAsync(path));

    private static void CheckSchema(string path, ParquetSchema file)
    {
        var present = file.GetDataFields().ToDictionary(f => f.Name);
        var missing = Schema.GetDataFields().Select(f => f.Name).Where(n => !present.ContainsKey(n)).ToList();
        if (missing.Count > 0 && missing.All(NewerColumns.Contains))
            throw new UserError($"{path}: written before results recorded their provenance (no {string.Join(", ", missing)}); " +
                                "its checkpoint and suite cannot be checked — re-run the eval");
        if (missing.Count > 0) throw new UserError($"{path}: not an eval result file (missing columns: {string.Join(", ", missing)})");
        var differ = Schema.GetDataFields().Where(f => present[f.Name].IsNullable != f.IsNullable || present[f.Name].ClrType != f.ClrType)
            .Select(f => $"{f.Name} ({Describe(present[f.Name])}, expected {Describe(f)})").ToList();
        if (differ.Count > 0) throw new UserError($"{path}: eval result columns of the wrong type: {string.Join("; ", differ)}");
    }

    private static string Describe(DataField f) => (f.ClrType == typeof(ReadOnlyMemory<char>) ? "string" : f.ClrType.Name) + (f.IsNullable ? "?" : "");
}
