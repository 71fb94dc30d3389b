using System.CommandLine;
using System.Diagnostics;
using Workbench.Data;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench bench data PATH</c>: read speed of the streaming loader against ParquetSharp (Apache Arrow's C++ reader)
/// on the same files. Readers run interleaved, <c>--repeat</c> rounds after one untimed warm-up round (page cache, JIT),
/// and the best round of each is reported. MB/s counts decoded observation bytes; rows/s counts rows (steps).
/// </summary>
public sealed class BenchDataCommand : ICommand
{
    private readonly Argument<string> _path = Declare.Argument("path", "dataset file, folder or glob", "datasets/gotoredballgrey");
    private readonly Option<int?> _threads = Declare.OptionalNumber<int>("--threads", "loader decode threads (default: the loader's)", "N");
    private readonly Option<int?> _prefetch = Declare.OptionalNumber<int>("--prefetch", "loader prefetch depth in row groups (default: the loader's)", "N");
    private readonly Option<int> _repeat = Declare.Number("--repeat", "timed rounds (the best of each reader is reported)", 5, "N");

    public string Name => "bench data";
    public string Summary => "Measure the data loader's MB/s and rows/s against ParquetSharp reading the same files";
    public IReadOnlyList<Symbol> Parameters => [_path, _threads, _prefetch, _repeat];

    private sealed record Result(double Seconds, long Rows, long ObsBytes)
    {
        public double MBps => ObsBytes / 1e6 / Seconds;
        public double RowsPerSecond => Rows / Seconds;
    }

    public int Run(ParseResult parse, CliContext cli)
    {
        string path = parse.GetValue(_path)!;
        var defaults = new LoaderOptions();
        int threads = parse.GetValue(_threads) ?? defaults.DecodeThreads, prefetch = parse.GetValue(_prefetch) ?? defaults.Prefetch;
        int repeat = Math.Max(1, parse.GetValue(_repeat));
        var files = DataPaths.Resolve(path);
        var options = new LoaderOptions { Shuffle = false, DecodeThreads = threads, Prefetch = prefetch };

        var readers = new (string Label, Func<Result> Read)[]
        {
            ($"loader: all columns → episodes, {threads} decode thread(s), prefetch {prefetch}", () => Loader(path, options)),
            ($"loader: obs column only, {threads} decode thread(s), prefetch {prefetch}", () => Loader(path, options with { Columns = new HashSet<string> { "obs" } })),
            ("episode decoding alone: all columns, 1 thread, no loader", () => DecodeOnly(files)),
            ("raw column read (loader's page decoder): obs column only, 1 thread", () => RawObs(files)),
            ("ParquetSharp: obs column only, 1 thread", () => ParquetSharpRead(files, obsOnly: true)),
            ("ParquetSharp: all 10 columns, 1 thread", () => ParquetSharpRead(files, obsOnly: false)),
            ("Parquet.Net: obs column only, 1 thread", () => ParquetNetObs(files)),
        };
        foreach (var r in readers) r.Read(); // warm-up
        var best = new Result?[readers.Length];
        for (int round = 0; round < repeat; round++)
            for (int i = 0; i < readers.Length; i++)
            {
                var result = readers[i].Read();
                if (best[i] is null || result.Seconds < best[i]!.Seconds) best[i] = result;
            }

        var first = best[0]!;
        cli.Out.WriteLine($"{path}: {files.Count} file(s), {first.Rows:N0} rows, {first.ObsBytes / 1e6:F1} MB of observations; " +
                              $"best of {repeat} interleaved rounds; {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        int width = readers.Max(r => r.Label.Length) + 2;
        for (int i = 0; i < readers.Length; i++)
            cli.Out.WriteLine($"  {readers[i].Label.PadRight(width)}{best[i]!.MBps,9:F1} MB/s {best[i]!.RowsPerSecond,13:N0} rows/s");
        cli.Out.WriteLine($"  ratio, obs column:  loader {best[1]!.MBps:F1} MB/s / ParquetSharp {best[4]!.MBps:F1} MB/s = {best[1]!.MBps / best[4]!.MBps:F2}x");
        cli.Out.WriteLine($"  ratio, raw obs read: {best[3]!.MBps:F1} MB/s / ParquetSharp {best[4]!.MBps:F1} MB/s = {best[3]!.MBps / best[4]!.MBps:F2}x");
        cli.Out.WriteLine($"  ratio, all columns: loader {first.RowsPerSecond:N0} rows/s / ParquetSharp {best[5]!.RowsPerSecond:N0} rows/s = {first.RowsPerSecond / best[5]!.RowsPerSecond:F2}x");
        return ExitCodes.Ok;
    }

    private static Result Loader(string path, LoaderOptions options)
    {
        var clock = Stopwatch.StartNew();
        using var loader = StreamingLoader.Open([new LoaderSource(path)], options);
        long episodes = loader.EpisodesPerEpoch(), rows = 0, bytes = 0;
        for (long i = 0; i < episodes; i++)
        {
            var e = loader.Next();
            rows += e.Steps.Length;
            foreach (var s in e.Steps) bytes += s.Obs.Length;
        }
        return new Result(clock.Elapsed.TotalSeconds, rows, bytes); // what the consumer received, not the read-ahead
    }

    private static Result DecodeOnly(IReadOnlyList<string> files)
    {
        var clock = Stopwatch.StartNew();
        long rows = 0, bytes = 0;
        foreach (var file in files)
        {
            var reader = DemoFile.OpenReader(file);
            try
            {
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    var decoded = DemoFile.ReadRowGroup(reader, file, g);
                    rows += decoded.Rows;
                    bytes += decoded.ObsBytes;
                }
            }
            finally { DemoFile.Close(reader); }
        }
        return new Result(clock.Elapsed.TotalSeconds, rows, bytes);
    }

    private static Result RawObs(IReadOnlyList<string> files)
    {
        var clock = Stopwatch.StartNew();
        long rows = 0, bytes = 0;
        foreach (var file in files)
        {
            var reader = DemoFile.OpenReader(file);
            try
            {
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    var values = DemoFile.ReadBinaryColumn(reader, file, g, DemoSchema.Obs);
                    foreach (var v in values) bytes += v.Length;
                    rows += values.Length;
                }
            }
            finally { DemoFile.Close(reader); }
        }
        return new Result(clock.Elapsed.TotalSeconds, rows, bytes);
    }

    private static Result ParquetSharpRead(IReadOnlyList<string> files, bool obsOnly)
    {
        var clock = Stopwatch.StartNew();
        long rows = 0, bytes = 0;
        foreach (var file in files)
        {
            using var reader = new ParquetSharp.ParquetFileReader(file);
            var schema = reader.FileMetaData.Schema;
            int columns = reader.FileMetaData.NumColumns;
            for (int g = 0; g < reader.FileMetaData.NumRowGroups; g++)
            {
                using var group = reader.RowGroup(g);
                int n = checked((int)group.MetaData.NumRows);
                for (int c = 0; c < columns; c++)
                {
                    string name = schema.Column(c).Name;
                    if (obsOnly && name != "obs") continue;
                    using var column = group.Column(c);
                    switch (name)
                    {
                        case "obs":
                            using (var r = column.LogicalReader<byte[]>()) foreach (var v in r.ReadAll(n)) bytes += v.Length;
                            break;
                        case "episode_id" or "seed":
                            using (var r = column.LogicalReader<long>()) r.ReadAll(n);
                            break;
                        case "level" or "mission":
                            using (var r = column.LogicalReader<string>()) r.ReadAll(n);
                            break;
                        case "reward":
                            using (var r = column.LogicalReader<float>()) r.ReadAll(n);
                            break;
                        case "done":
                            using (var r = column.LogicalReader<bool>()) r.ReadAll(n);
                            break;
                        default:
                            using (var r = column.LogicalReader<int>()) r.ReadAll(n);
                            break;
                    }
                }
                rows += n;
            }
        }
        return new Result(clock.Elapsed.TotalSeconds, rows, bytes);
    }

    private static Result ParquetNetObs(IReadOnlyList<string> files)
    {
        var clock = Stopwatch.StartNew();
        long rows = 0, bytes = 0;
        foreach (var file in files)
        {
            var reader = DemoFile.OpenReader(file);
            try
            {
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    using var group = reader.OpenRowGroupReader(g);
                    var values = new byte[]?[group.RowCount];
                    group.ReadAsync(reader.Schema.GetDataFields().First(f => f.Name == "obs"), values.AsMemory()).AsTask().GetAwaiter().GetResult();
                    foreach (var v in values) bytes += v!.Length;
                    rows += values.Length;
                }
            }
            finally { DemoFile.Close(reader); }
        }
        return new Result(clock.Elapsed.TotalSeconds, rows, bytes);
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }
}
