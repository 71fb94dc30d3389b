using System.Diagnostics;
using Workbench.Data;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench bench data PATH</c>: read speed of the streaming loader against ParquetSharp on the same files.
/// Both are timed on warm files (one untimed pass first); MB/s counts decoded observation bytes, rows/s decoded rows.
/// The loader decodes every column into episodes; ParquetSharp reads only the obs column, single-threaded (raw read).
/// </summary>
public sealed class BenchDataCommand : ICommand
{
    public string Name => "bench data";
    public string Summary => "Measure the data loader's MB/s and rows/s against ParquetSharp reading the same files";
    public IReadOnlyList<ArgumentSpec> Arguments => [new("path", "dataset file, folder or glob", Required: false)];
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("threads", "loader decode threads", Default: "2", ValueName: "N"),
        new("prefetch", "loader prefetch depth (row groups)", Default: "8", ValueName: "N"),
        new("repeat", "timed passes of each reader (the best is reported)", Default: "3", ValueName: "N"),
    ];

    public int Run(ParsedArgs args)
    {
        string path = args.OptionalArgument("path") ?? "datasets/gotoredballgrey";
        int threads = args.Int("threads", 2), prefetch = args.Int("prefetch", 8), repeat = Math.Max(1, args.Int("repeat", 3));
        var files = DataPaths.Resolve(path);

        var options = new LoaderOptions { Shuffle = false, DecodeThreads = threads, Prefetch = prefetch };
        Result Loader()
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
        Result ParquetSharpObs()
        {
            var clock = Stopwatch.StartNew();
            long rows = 0, bytes = 0;
            foreach (var file in files)
            {
                using var reader = new ParquetSharp.ParquetFileReader(file);
                int obsColumn = Enumerable.Range(0, reader.FileMetaData.NumColumns).Single(c => reader.FileMetaData.Schema.Column(c).Name == "obs");
                for (int g = 0; g < reader.FileMetaData.NumRowGroups; g++)
                {
                    using var group = reader.RowGroup(g);
                    int n = checked((int)group.MetaData.NumRows);
                    using var column = group.Column(obsColumn).LogicalReader<byte[]>();
                    foreach (var value in column.ReadAll(n)) bytes += value.Length;
                    rows += n;
                }
            }
            return new Result(clock.Elapsed.TotalSeconds, rows, bytes);
        }

        Result ParquetNetObs()
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
                        group.ReadAsync(DemoSchema.Obs, values.AsMemory()).AsTask().GetAwaiter().GetResult();
                        foreach (var v in values) bytes += v!.Length;
                        rows += values.Length;
                    }
                }
                finally { DemoFile.Close(reader); }
            }
            return new Result(clock.Elapsed.TotalSeconds, rows, bytes);
        }

        Result DecodeOnly()
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

        Loader(); ParquetSharpObs(); ParquetNetObs(); DecodeOnly(); // warm-up: page cache and JIT
        var ours = Enumerable.Range(0, repeat).Select(_ => Loader()).MinBy(r => r.Seconds)!;
        var theirs = Enumerable.Range(0, repeat).Select(_ => ParquetSharpObs()).MinBy(r => r.Seconds)!;
        var net = Enumerable.Range(0, repeat).Select(_ => ParquetNetObs()).MinBy(r => r.Seconds)!;
        var decode = Enumerable.Range(0, repeat).Select(_ => DecodeOnly()).MinBy(r => r.Seconds)!;

        Console.Out.WriteLine($"{path}: {files.Count} file(s), {ours.Rows:N0} rows, {ours.ObsBytes / 1e6:F1} MB of observations; best of {repeat}, {Environment.ProcessorCount} cores");
        Console.Out.WriteLine($"  loader (all columns → episodes, {threads} decode threads, prefetch {prefetch}): {ours.MBps,8:F1} MB/s {ours.RowsPerSecond,12:N0} rows/s");
        Console.Out.WriteLine($"  ParquetSharp (obs column only, 1 thread):                {theirs.MBps,8:F1} MB/s {theirs.RowsPerSecond,12:N0} rows/s");
        Console.Out.WriteLine($"  Parquet.Net (obs column only, 1 thread, for reference):  {net.MBps,8:F1} MB/s {net.RowsPerSecond,12:N0} rows/s");
        Console.Out.WriteLine($"  episode decoding alone (all columns, 1 thread, no loader): {decode.MBps,8:F1} MB/s {decode.RowsPerSecond,12:N0} rows/s");
        Console.Out.WriteLine($"  ratio loader / ParquetSharp: {ours.MBps / theirs.MBps:F2}x");
        return ExitCodes.Ok;
    }

    private sealed record Result(double Seconds, long Rows, long ObsBytes)
    {
        public double MBps => ObsBytes / 1e6 / Seconds;
        public double RowsPerSecond => Rows / Seconds;
    }
}
