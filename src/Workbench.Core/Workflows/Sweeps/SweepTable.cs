using Parquet;
using Parquet.Schema;

namespace Workbench.Workflows.Sweeps;

/// <summary>One point of a sweep over its seeds: the metric's mean with an interval across seeds, and each seed's value.</summary>
public sealed record SweepPointRow(
    string Point, string Series, IReadOnlyDictionary<string, string> Values, double? X, int Seeds, double Mean, double Low, double High,
    int Episodes, string Method, IReadOnlyList<double> PerSeed);

/// <summary>Where a series first reaches the threshold: the GP estimate (BabyAI's method) and the first swept value whose mean reaches it.</summary>
public sealed record SweepCrossingRow(
    string Series, double Threshold, double? Median, double? Low, double? High, double ProbabilityInRange, double? FirstPointReaching,
    int Runs, string Reference, IReadOnlyList<string> Warnings);

/// <summary>
/// The sweep's tables as Parquet: <c>runs.parquet</c> (one row per run and seed) and <c>points.parquet</c> (one row per
/// point, across seeds), each with one string column per axis besides the fixed columns.
/// </summary>
public static class SweepTable
{
    public static readonly IReadOnlySet<string> FixedColumns = new HashSet<string>(StringComparer.Ordinal)
    {
        "run_id", "point", "series", "x", "seed", "seeds", "metric", "value", "mean", "low", "high", "episodes", "method", "model", "run_dir",
        "train_status", "steps", "train_seconds", "per_seed",
    };

    public static void WriteRuns(string path, IReadOnlyList<string> axes, IReadOnlyList<SweepResult> rows) => Write(path,
    [
        Text("run_id", rows.Select(r => r.RunId)), Text("point", rows.Select(r => r.Point)), Text("series", rows.Select(r => r.Series)),
        .. axes.Select(a => Text(a, rows.Select(r => r.Values[a]))),
        Number("x", rows.Select(r => r.X)), Whole("seed", rows.Select(r => r.Seed)), Text("metric", rows.Select(r => r.Metric)),
        Number("value", rows.Select(r => (double?)r.Value)), Number("low", rows.Select(r => r.Low)), Number("high", rows.Select(r => r.High)),
        Whole("episodes", rows.Select(r => (long)r.Episodes)), Text("method", rows.Select(r => r.Method)), Text("model", rows.Select(r => r.Model)),
        Text("run_dir", rows.Select(r => r.RunDir)), Text("train_status", rows.Select(r => r.TrainStatus)), Whole("steps", rows.Select(r => (long)r.Steps)),
        Number("train_seconds", rows.Select(r => r.TrainSeconds)),
    ]);

    public static void WritePoints(string path, IReadOnlyList<string> axes, string metric, IReadOnlyList<SweepPointRow> rows) => Write(path,
    [
        Text("point", rows.Select(r => r.Point)), Text("series", rows.Select(r => r.Series)),
        .. axes.Select(a => Text(a, rows.Select(r => r.Values[a]))),
        Number("x", rows.Select(r => r.X)), Text("metric", rows.Select(_ => metric)), Whole("seeds", rows.Select(r => (long)r.Seeds)),
        Number("mean", rows.Select(r => (double?)r.Mean)), Number("low", rows.Select(r => (double?)r.Low)), Number("high", rows.Select(r => (double?)r.High)),
        Whole("episodes", rows.Select(r => (long)r.Episodes)), Text("method", rows.Select(r => r.Method)),
        Text("per_seed", rows.Select(r => string.Join(",", r.PerSeed.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))))),
    ]);

    /// <summary>A column: its field and how to write its values into a row group.</summary>
    private sealed record Column(DataField Field, Func<ParquetRowGroupWriter, Task> WriteAsync);

    private static Column Text(string name, IEnumerable<string> values)
    {
        var field = new DataField<string>(name, false);
        string[] v = values.ToArray();
        return new Column(field, g => g.WriteAsync(field, v));
    }

    private static Column Number(string name, IEnumerable<double?> values)
    {
        var field = new DataField<double?>(name, true);
        double?[] v = values.ToArray();
        return new Column(field, g => g.WriteAsync<double>(field, new ReadOnlyMemory<double?>(v)));
    }

    private static Column Whole(string name, IEnumerable<long> values)
    {
        var field = new DataField<long>(name, false);
        long[] v = values.ToArray();
        return new Column(field, g => g.WriteAsync<long>(field, v));
    }

    private static void Write(string path, IReadOnlyList<Column> columns) =>
        Runtime.AtomicFile.WriteAsync(path, async stream =>
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray()), stream,
                new ParquetOptions { CompressionMethod = CompressionMethod.Snappy });
            using var group = writer.CreateRowGroup();
            foreach (var column in columns) await column.WriteAsync(group);
        }).GetAwaiter().GetResult();
}
