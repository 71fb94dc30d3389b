using System.Text.Json.Serialization;
using Microsoft.Data.Analysis;
using Parquet;
using Parquet.Serialization;
using Parquet.Serialization.Attributes;

namespace Workbench.Reporting;

/// <summary>
/// One metric of one version on one task on one night (a row of <c>reports/history.parquet</c>). The column names are
/// declared once, here; Parquet.Net's serializer writes and reads them (<c>date</c> is a Parquet DATE).
/// </summary>
public sealed record HistoryRow(
    [property: JsonPropertyName("date")] DateOnly Date,
    [property: JsonPropertyName("suite"), ParquetRequired] string Suite,
    [property: JsonPropertyName("task"), ParquetRequired] string Task,
    [property: JsonPropertyName("metric"), ParquetRequired] string Metric,
    [property: JsonPropertyName("version"), ParquetRequired] string Version,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("low")] double Low,
    [property: JsonPropertyName("high")] double High,
    [property: JsonPropertyName("n")] int N)
{
    /// <summary>For the serializer, which fills the properties of an empty row.</summary>
    public HistoryRow() : this(default, "", "", "", "", 0, 0, 0, 0) { }
}

/// <summary>
/// The nightly history: a single Parquet file (columns date, suite, task, metric, version, value, low, high, n;
/// date is a Parquet DATE). Appending rewrites the whole file atomically (temp file, then rename) — it stays
/// small (rows = nights × tasks × metrics × versions) and readers never see a torn file. Re-running a night
/// replaces that night's rows for the same (suite, task, metric, version) instead of duplicating them.
/// Async all the way; the synchronous forms go through the documented sync boundary (<see cref="Runtime.Blocking"/>).
/// </summary>
public static class NightlyHistory
{
    public const string FileName = "history.parquet";

    private static readonly IReadOnlyList<string> Columns = typeof(HistoryRow).GetParquetSchema(forWriting: true).DataFields.Select(f => f.Name).ToList();

    private static ParquetOptions Options => new() { UseDateOnlyTypeForDates = true, CompressionMethod = CompressionMethod.Zstd };

    /// <summary>Rows of the history file, ordered by date; an empty list when the file does not exist yet.</summary>
    public static IReadOnlyList<HistoryRow> Read(string path) => Runtime.Blocking.Wait(() => ReadAsync(path));

    public static async Task<IReadOnlyList<HistoryRow>> ReadAsync(string path, CancellationToken cancel = default)
    {
        if (!File.Exists(path)) return [];
        await using (var reader = await ParquetReader.CreateAsync(path, Options, cancel))
        {
            var fields = reader.Schema.DataFields.Select(f => f.Name).ToHashSet();
            var missing = Columns.Where(n => !fields.Contains(n)).ToList();
            if (missing.Count > 0) throw new UserError($"{path}: not a Workbench history file (missing columns: {string.Join(", ", missing)})");
        }
        var rows = await ParquetSerializer.DeserializeAsync<HistoryRow>(path, Options, cancellationToken: cancel);
        return rows.Data.OrderBy(r => r.Date).ToList();
    }

    /// <summary>
    /// Adds <paramref name="rows"/> to the history at <paramref name="path"/> (created when missing) and returns
    /// the whole history. Existing rows with the same (date, suite, task, metric, version) are replaced.
    /// </summary>
    public static IReadOnlyList<HistoryRow> Append(string path, IEnumerable<HistoryRow> rows) => Runtime.Blocking.Wait(() => AppendAsync(path, rows));

    public static async Task<IReadOnlyList<HistoryRow>> AppendAsync(string path, IEnumerable<HistoryRow> rows, CancellationToken cancel = default)
    {
        var added = rows.ToList();
        foreach (var r in added)
            if (!double.IsFinite(r.Value) || !double.IsFinite(r.Low) || !double.IsFinite(r.High))
                throw new ArgumentException($"history row {r.Date:yyyy-MM-dd} {r.Suite}/{r.Task} {r.Metric} {r.Version} has a non-finite value");
        var keys = added.Select(Key).ToHashSet();
        var all = (await ReadAsync(path, cancel)).Where(r => !keys.Contains(Key(r))).Concat(added)
            .OrderBy(r => r.Date).ThenBy(r => r.Suite, StringComparer.Ordinal).ThenBy(r => r.Task, StringComparer.Ordinal)
            .ThenBy(r => r.Metric, StringComparer.Ordinal).ThenBy(r => r.Version, StringComparer.Ordinal).ToList();
        await Runtime.AtomicFile.WriteAsync(path, stream => ParquetSerializer.SerializeAsync(all, stream, Options, cancellationToken: cancel));
        return all;
    }

    private static (DateOnly, string, string, string, string) Key(HistoryRow r) => (r.Date, r.Suite, r.Task, r.Metric, r.Version);

    /// <summary>The history as a DataFrame (date as DateTime at midnight) for notebooks and ad-hoc analysis.</summary>
    public static DataFrame ToDataFrame(IEnumerable<HistoryRow> rows)
    {
        var list = rows.ToList();
        return new DataFrame(
            new PrimitiveDataFrameColumn<DateTime>("date", list.Select(r => r.Date.ToDateTime(TimeOnly.MinValue))),
            new StringDataFrameColumn("suite", list.Select(r => r.Suite)),
            new StringDataFrameColumn("task", list.Select(r => r.Task)),
            new StringDataFrameColumn("metric", list.Select(r => r.Metric)),
            new StringDataFrameColumn("version", list.Select(r => r.Version)),
            new DoubleDataFrameColumn("value", list.Select(r => r.Value)),
            new DoubleDataFrameColumn("low", list.Select(r => r.Low)),
            new DoubleDataFrameColumn("high", list.Select(r => r.High)),
            new Int32DataFrameColumn("n", list.Select(r => r.N)));
    }

    /// <summary>Reads the history file straight into a DataFrame.</summary>
    public static DataFrame ReadDataFrame(string path) => ToDataFrame(Read(path));

    /// <summary>History rows for one night from that night's estimates.</summary>
    public static IEnumerable<HistoryRow> FromEstimates(DateOnly date, IEnumerable<MetricEstimate> estimates) =>
        estimates.Select(e => new HistoryRow(date, e.Suite, e.Task, e.Metric, e.Version, e.Value, e.Low, e.High, e.N));
}
