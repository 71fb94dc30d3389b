using Microsoft.Data.Analysis;
using Parquet;
using Parquet.Schema;

namespace Workbench.Reporting;

/// <summary>One metric of one version on one task on one night (a row of <c>reports/history.parquet</c>).</summary>
public sealed record HistoryRow(DateOnly Date, string Suite, string Task, string Metric, string Version, double Value, double Low, double High, int N);

/// <summary>
/// The nightly history: a single Parquet file (columns date, suite, task, metric, version, value, low, high, n;
/// date is a Parquet DATE). Appending rewrites the whole file atomically (temp file, then rename) — it stays
/// small (rows = nights × tasks × metrics × versions) and readers never see a torn file. Re-running a night
/// replaces that night's rows for the same (suite, task, metric, version) instead of duplicating them.
/// </summary>
public static class NightlyHistory
{
    public const string FileName = "history.parquet";

    private static readonly DataField<DateOnly> DateField = new("date");
    private static readonly DataField<string> SuiteField = new("suite");
    private static readonly DataField<string> TaskField = new("task");
    private static readonly DataField<string> MetricField = new("metric");
    private static readonly DataField<string> VersionField = new("version");
    private static readonly DataField<double> ValueField = new("value");
    private static readonly DataField<double> LowField = new("low");
    private static readonly DataField<double> HighField = new("high");
    private static readonly DataField<int> NField = new("n");
    private static readonly ParquetSchema Schema = new(DateField, SuiteField, TaskField, MetricField, VersionField, ValueField, LowField, HighField, NField);

    private static ParquetOptions Options => new() { UseDateOnlyTypeForDates = true, CompressionMethod = CompressionMethod.Zstd };

    /// <summary>Rows of the history file, ordered by date; an empty list when the file does not exist yet.</summary>
    public static IReadOnlyList<HistoryRow> Read(string path) => ReadAsync(path).GetAwaiter().GetResult();

    public static async Task<IReadOnlyList<HistoryRow>> ReadAsync(string path, CancellationToken cancel = default)
    {
        if (!File.Exists(path)) return [];
        var rows = new List<HistoryRow>();
        await using var reader = await ParquetReader.CreateAsync(path, Options, cancel);
        var fields = reader.Schema.DataFields.Select(f => f.Name).ToHashSet();
        var missing = Schema.DataFields.Select(f => f.Name).Where(n => !fields.Contains(n)).ToList();
        if (missing.Count > 0) throw new UserError($"{path}: not a Workbench history file (missing columns: {string.Join(", ", missing)})");
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int count = checked((int)group.RowCount);
            var dates = new DateOnly[count];
            string?[] suites = new string?[count], tasks = new string?[count], metrics = new string?[count], versions = new string?[count];
            double[] values = new double[count], lows = new double[count], highs = new double[count];
            var ns = new int[count];
            await group.ReadAsync(DateField, dates.AsMemory(), cancellationToken: cancel);
            await group.ReadAsync(SuiteField, suites.AsMemory(), cancellationToken: cancel);
            await group.ReadAsync(TaskField, tasks.AsMemory(), cancellationToken: cancel);
            await group.ReadAsync(MetricField, metrics.AsMemory(), cancellationToken: cancel);
            await group.ReadAsync(VersionField, versions.AsMemory(), cancellationToken: cancel);
            await group.ReadAsync(ValueField, values.AsMemory(), cancellationToken: cancel);
            await group.ReadAsync(LowField, lows.AsMemory(), cancellationToken: cancel);
            await group.ReadAsync(HighField, highs.AsMemory(), cancellationToken: cancel);
            await group.ReadAsync(NField, ns.AsMemory(), cancellationToken: cancel);
            for (int i = 0; i < count; i++)
                rows.Add(new HistoryRow(dates[i], suites[i] ?? "", tasks[i] ?? "", metrics[i] ?? "", versions[i] ?? "", values[i], lows[i], highs[i], ns[i]));
        }
        return rows.OrderBy(r => r.Date).ToList();
    }

    /// <summary>
    /// Adds <paramref name="rows"/> to the history at <paramref name="path"/> (created when missing) and returns
    /// the whole history. Existing rows with the same (date, suite, task, metric, version) are replaced.
    /// </summary>
    public static IReadOnlyList<HistoryRow> Append(string path, IEnumerable<HistoryRow> rows) => AppendAsync(path, rows).GetAwaiter().GetResult();

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
        await WriteAsync(path, all, cancel);
        return all;
    }

    private static (DateOnly, string, string, string, string) Key(HistoryRow r) => (r.Date, r.Suite, r.Task, r.Metric, r.Version);

    private static async Task WriteAsync(string path, IReadOnlyList<HistoryRow> rows, CancellationToken cancel)
    {
        using var buffer = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(Schema, buffer, Options, cancellationToken: cancel))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<DateOnly>(DateField, rows.Select(r => r.Date).ToArray().AsMemory(), cancellationToken: cancel);
            await group.WriteAsync(SuiteField, Strings(rows.Select(r => r.Suite)));
            await group.WriteAsync(TaskField, Strings(rows.Select(r => r.Task)));
            await group.WriteAsync(MetricField, Strings(rows.Select(r => r.Metric)));
            await group.WriteAsync(VersionField, Strings(rows.Select(r => r.Version)));
            await group.WriteAsync<double>(ValueField, rows.Select(r => r.Value).ToArray().AsMemory(), cancellationToken: cancel);
            await group.WriteAsync<double>(LowField, rows.Select(r => r.Low).ToArray().AsMemory(), cancellationToken: cancel);
            await group.WriteAsync<double>(HighField, rows.Select(r => r.High).ToArray().AsMemory(), cancellationToken: cancel);
            await group.WriteAsync<int>(NField, rows.Select(r => r.N).ToArray().AsMemory(), cancellationToken: cancel);
        }
        Runtime.AtomicFile.WriteAllBytes(path, buffer.ToArray());
    }

    private static IReadOnlyCollection<string?> Strings(IEnumerable<string> values) => values.ToArray<string?>();

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
