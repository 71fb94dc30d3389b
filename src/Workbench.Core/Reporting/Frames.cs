using Microsoft.Data.Analysis;
using Parquet;
using Parquet.Schema;

namespace Workbench.Reporting;

/// <summary>DataFrames (Microsoft.Data.Analysis) for notebooks: report records and any flat Parquet file.</summary>
public static class Frames
{
    /// <summary>Estimates as a frame: version, suite, task, metric, value, low, high, unit, direction, group, n.</summary>
    public static DataFrame FromEstimates(IEnumerable<MetricEstimate> estimates)
    {
        var list = estimates.ToList();
        return new DataFrame(
            new StringDataFrameColumn("version", list.Select(e => e.Version)),
            new StringDataFrameColumn("suite", list.Select(e => e.Suite)),
            new StringDataFrameColumn("task", list.Select(e => e.Task)),
            new StringDataFrameColumn("metric", list.Select(e => e.Metric)),
            new DoubleDataFrameColumn("value", list.Select(e => e.Value)),
            new DoubleDataFrameColumn("low", list.Select(e => e.Low)),
            new DoubleDataFrameColumn("high", list.Select(e => e.High)),
            new StringDataFrameColumn("unit", list.Select(e => e.Unit)),
            new StringDataFrameColumn("direction", list.Select(e => e.Info.Direction.ToString())),
            new StringDataFrameColumn("group", list.Select(e => e.Info.Group.ToString())),
            new Int32DataFrameColumn("n", list.Select(e => e.N)));
    }

    /// <summary>Comparisons as a frame: suite, task, metric, a, b, difference, low, high, p, adjusted_p, verdict.</summary>
    public static DataFrame FromComparisons(IEnumerable<ComparisonRow> rows)
    {
        var list = rows.ToList();
        return new DataFrame(
            new StringDataFrameColumn("suite", list.Select(c => c.Suite)),
            new StringDataFrameColumn("task", list.Select(c => c.Task)),
            new StringDataFrameColumn("metric", list.Select(c => c.Metric)),
            new DoubleDataFrameColumn("a", list.Select(c => c.A)),
            new DoubleDataFrameColumn("b", list.Select(c => c.B)),
            new DoubleDataFrameColumn("difference", list.Select(c => c.Difference)),
            new DoubleDataFrameColumn("low", list.Select(c => c.Low)),
            new DoubleDataFrameColumn("high", list.Select(c => c.High)),
            new DoubleDataFrameColumn("p", list.Select(c => c.P)),
            new DoubleDataFrameColumn("adjusted_p", list.Select(c => c.AdjustedP)),
            new StringDataFrameColumn("verdict", list.Select(c => Evals.Statistics.Verdicts.Text(c.Verdict))));
    }

    /// <summary>
    /// Reads the first <paramref name="maxRows"/> rows of a flat Parquet file into a frame. Numeric, bool, string
    /// and date columns map to frame columns (nulls kept); binary columns become <c>&lt;name&gt;_bytes</c> with each
    /// value's length; nested columns are skipped.
    /// </summary>
    public static DataFrame ReadParquet(string path, int maxRows = 100_000) => Runtime.Blocking.Wait(() => ReadParquetAsync(path, maxRows));

    public static async Task<DataFrame> ReadParquetAsync(string path, int maxRows = 100_000)
    {
        if (!File.Exists(path)) throw new UserError($"Parquet file not found: {path}");
        await using var reader = await ParquetReader.CreateAsync(path, new ParquetOptions { UseDateOnlyTypeForDates = true });
        var fields = reader.Schema.DataFields.Where(f => f.MaxRepetitionLevel == 0).ToList();
        var chunks = fields.ToDictionary(f => f.Path.ToString(), _ => new List<DataFrameColumn>());
        int taken = 0;
        for (int g = 0; g < reader.RowGroupCount && taken < maxRows; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int count = checked((int)group.RowCount);
            int keep = Math.Min(count, maxRows - taken);
            foreach (var field in fields)
                chunks[field.Path.ToString()].Add(await ReadColumn(group, field, count, keep));
            taken += keep;
        }
        var columns = fields.Select(f =>
        {
            var parts = chunks[f.Path.ToString()];
            var first = parts.Count > 0 ? parts[0] : EmptyColumn(f);
            for (int i = 1; i < parts.Count; i++) first = Append(first, parts[i]);
            return first;
        });
        return new DataFrame(columns);
    }

    private static DataFrameColumn Append(DataFrameColumn into, DataFrameColumn more)
    {
        for (long i = 0; i < more.Length; i++) into = AppendValue(into, more[i]);
        return into;
    }

    private static DataFrameColumn AppendValue(DataFrameColumn column, object? value)
    {
        switch (column)
        {
            case StringDataFrameColumn s: s.Append((string?)value); break;
            case PrimitiveDataFrameColumn<int> c: c.Append((int?)value); break;
            case PrimitiveDataFrameColumn<long> c: c.Append((long?)value); break;
            case PrimitiveDataFrameColumn<float> c: c.Append((float?)value); break;
            case PrimitiveDataFrameColumn<double> c: c.Append((double?)value); break;
            case PrimitiveDataFrameColumn<bool> c: c.Append((bool?)value); break;
            case PrimitiveDataFrameColumn<DateTime> c: c.Append((DateTime?)value); break;
            default: throw new NotSupportedException(column.GetType().Name);
        }
        return column;
    }

    private static DataFrameColumn EmptyColumn(DataField f) => Build(f, 0, _ => null);

    private static async Task<DataFrameColumn> ReadColumn(ParquetRowGroupReader group, DataField field, int count, int keep)
    {
        object?[] values = await ReadValues(group, field, count);
        return Build(field, keep, i => values[i]);
    }

    private static DataFrameColumn Build(DataField f, int length, Func<int, object?> value)
    {
        string name = f.Name;
        IEnumerable<T?> Values<T>() where T : struct => Enumerable.Range(0, length).Select(i => (T?)value(i));
        return f.ClrType switch
        {
            var t when t == typeof(int) || t == typeof(short) || t == typeof(byte) || t == typeof(sbyte) || t == typeof(ushort)
                => new Int32DataFrameColumn(name, Enumerable.Range(0, length).Select(i => value(i) is { } v ? Convert.ToInt32(v) : (int?)null)),
            var t when t == typeof(long) || t == typeof(uint) || t == typeof(ulong)
                => new Int64DataFrameColumn(name, Enumerable.Range(0, length).Select(i => value(i) is { } v ? Convert.ToInt64(v) : (long?)null)),
            var t when t == typeof(float) => new SingleDataFrameColumn(name, Values<float>()),
            var t when t == typeof(double) => new DoubleDataFrameColumn(name, Values<double>()),
            var t when t == typeof(bool) => new BooleanDataFrameColumn(name, Values<bool>()),
            var t when t == typeof(DateTime) => new PrimitiveDataFrameColumn<DateTime>(name, Values<DateTime>()),
            var t when t == typeof(DateOnly) => new PrimitiveDataFrameColumn<DateTime>(name,
                Enumerable.Range(0, length).Select(i => value(i) is DateOnly d ? d.ToDateTime(TimeOnly.MinValue) : (DateTime?)null)),
            var t when t == typeof(byte[]) || t == typeof(ReadOnlyMemory<byte>) => new Int32DataFrameColumn(name + "_bytes", Enumerable.Range(0, length).Select(i => (value(i) as byte[])?.Length)),
            _ => new StringDataFrameColumn(name, Enumerable.Range(0, length).Select(i => value(i)?.ToString())),
        };
    }

    private static async Task<object?[]> ReadValues(ParquetRowGroupReader group, DataField field, int count)
    {
        Type t = field.ClrType;
        // Parquet.Net 6 reports string and binary columns of files it reads as ReadOnlyMemory<char> / ReadOnlyMemory<byte>.
        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>)) { var b = new string?[count]; await group.ReadAsync(field, b.AsMemory()); return b; }
        if (t == typeof(byte[]) || t == typeof(ReadOnlyMemory<byte>)) { var b = new byte[]?[count]; await group.ReadAsync(field, b.AsMemory()); return b; }
        if (t == typeof(int)) return await Read<int>(group, field, count);
        if (t == typeof(long)) return await Read<long>(group, field, count);
        if (t == typeof(short)) return await Read<short>(group, field, count);
        if (t == typeof(byte)) return await Read<byte>(group, field, count);
        if (t == typeof(sbyte)) return await Read<sbyte>(group, field, count);
        if (t == typeof(ushort)) return await Read<ushort>(group, field, count);
        if (t == typeof(uint)) return await Read<uint>(group, field, count);
        if (t == typeof(ulong)) return await Read<ulong>(group, field, count);
        if (t == typeof(float)) return await Read<float>(group, field, count);
        if (t == typeof(double)) return await Read<double>(group, field, count);
        if (t == typeof(bool)) return await Read<bool>(group, field, count);
        if (t == typeof(DateTime)) return await Read<DateTime>(group, field, count);
        if (t == typeof(DateOnly)) return await Read<DateOnly>(group, field, count);
        if (t == typeof(decimal)) return await Read<decimal>(group, field, count);
        throw new UserError($"column '{field.Name}' has type {t.Name}, which Frames.ReadParquet does not read");
    }

    private static async Task<object?[]> Read<T>(ParquetRowGroupReader group, DataField field, int count) where T : struct
    {
        if (field.IsNullable)
        {
            var b = new T?[count];
            await group.ReadAsync(field, b.AsMemory());
            return b.Select(v => (object?)v).ToArray();
        }
        var a = new T[count];
        await group.ReadAsync(field, a.AsMemory());
        return a.Select(v => (object?)v).ToArray();
    }
}
