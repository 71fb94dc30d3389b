using System.Diagnostics;
using System.Globalization;
using System.Text;
using Workbench.Runtime;

namespace Workbench.Data;

/// <summary>Settings of <see cref="DataBenchmark.Run"/>: the files, the loader's threads and prefetch, the timed rounds.</summary>
public sealed record DataBenchmarkSettings(string Path, int DecodeThreads = 2, int Prefetch = 2, int Repeat = 5);

/// <summary>
/// One reader's best round: wall seconds, process CPU seconds (all threads, GC included), rows and decoded observation
/// bytes delivered. CPU-second rates stay meaningful when other processes compete for the cores.
/// </summary>
public sealed record ReaderMeasure(string Key, string Label, double Seconds, double CpuSeconds, long Rows, long ObsBytes)
{
    public double RowsPerSecond => Rows / Seconds;
    public double MBPerSecond => ObsBytes / 1e6 / Seconds;
    public double RowsPerCpuSecond => Rows / Math.Max(CpuSeconds, 1e-9);
    public double MBPerCpuSecond => ObsBytes / 1e6 / Math.Max(CpuSeconds, 1e-9);
}

/// <summary>Everything one run of the data benchmark measured, with the ratios it prints.</summary>
public sealed record DataBenchmarkResult(DataBenchmarkSettings Settings, int Files, long Rows, long ObsBytes, long FileBytes,
    IReadOnlyList<ReaderMeasure> Readers, double MemcpyBytesPerSecond, string LoadAverage)
{
    public ReaderMeasure this[string key] => Readers.First(r => r.Key == key);

    public string Format()
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(string.Create(inv, $"{Settings.Path}: {Files} file(s), {FileBytes / 1e6:F1} MB on disk, {Rows:N0} rows, {ObsBytes / 1e6:F1} MB of observations " +
                                        $"(decoded); best of {Settings.Repeat} interleaved rounds; {Environment.ProcessorCount} cores, load average {LoadAverage}"));
        int width = Readers.Max(r => r.Label.Length) + 2;
        s.AppendLine($"  {"reader".PadRight(width)}{"MB/s",9} {"rows/s",12} | per CPU second: {"MB",8} {"rows",12}");
        foreach (var r in Readers)
            s.AppendLine(string.Create(inv, $"  {r.Label.PadRight(width)}{r.MBPerSecond,9:F1} {r.RowsPerSecond,12:N0} |                 {r.MBPerCpuSecond,8:F1} {r.RowsPerCpuSecond,12:N0}"));
        s.AppendLine(string.Create(inv, $"  memory copy (1 thread, the hardware limit of any reader that writes the decoded bytes once): {MemcpyBytesPerSecond / 1e6:F0} MB/s"));
        void Ratio(string what, string a, string b)
        {
            var (x, y) = (this[a], this[b]);
            s.AppendLine(string.Create(inv, $"  ratio, {what}: {x.MBPerSecond / y.MBPerSecond:F2}x wall, {x.MBPerCpuSecond / y.MBPerCpuSecond:F2}x per CPU second " +
                                            $"({x.RowsPerSecond:N0} / {y.RowsPerSecond:N0} rows/s)"));
        }
        Ratio("loader (all columns → episodes, 1 thread) / ParquetSharp (all columns, 1 thread)", "loader-1", "parquetsharp-all");
        Ratio($"loader (all columns → episodes, {Settings.DecodeThreads} threads) / ParquetSharp (all columns, 1 thread)", "loader", "parquetsharp-all");
        Ratio("loader (obs column only) / ParquetSharp (obs column only)", "loader-obs", "parquetsharp-obs");
        Ratio("raw obs column read / ParquetSharp (obs column only)", "raw-obs", "parquetsharp-obs");
        var loader = this["loader-1"];
        s.AppendLine(string.Create(inv, $"  hardware: the 1-thread loader delivers {loader.MBPerSecond / (MemcpyBytesPerSecond / 1e6):P1} of memory-copy speed; " +
                                        $"decompressing the obs pages alone reaches {this["zstd-obs"].MBPerSecond / (MemcpyBytesPerSecond / 1e6):P1}"));
        return s.ToString();
    }
}

/// <summary>
/// Read speed of the streaming loader against ParquetSharp (Apache Arrow's C++ reader) and Parquet.Net on the same
/// files, in the same process and run. Readers run interleaved, <see cref="DataBenchmarkSettings.Repeat"/> rounds after
/// one untimed warm-up round (page cache, JIT), and the best round of each is kept. MB/s counts decoded observation
/// bytes; rows/s counts rows (steps). The hardware reference is a single-thread memory copy measured in the same run;
/// the software floor is decompressing the obs pages without splitting them into rows.
/// </summary>
public static class DataBenchmark
{
    private sealed record Reader(string Key, string Label, Func<(long Rows, long ObsBytes)> Read);

    public static DataBenchmarkResult Run(DataBenchmarkSettings s, TextWriter? progress = null)
    {
        if (s.Repeat < 1) throw new UserError($"bench data: --repeat must be >= 1, got {s.Repeat}");
        var files = DataPaths.Resolve(s.Path);
        var options = new LoaderOptions { Shuffle = false, DecodeThreads = s.DecodeThreads, Prefetch = s.Prefetch };
        var obsOnly = new HashSet<string> { DemoSchema.Obs.Name };
        var readers = new Reader[]
        {
            new("loader", $"loader: all columns → episodes, {s.DecodeThreads} decode thread(s), prefetch {s.Prefetch}", () => Loader(s.Path, options)),
            new("loader-1", $"loader: all columns → episodes, 1 decode thread, prefetch {s.Prefetch}", () => Loader(s.Path, options with { DecodeThreads = 1 })),
            new("loader-obs", "loader: obs column only, 1 decode thread", () => Loader(s.Path, options with { DecodeThreads = 1, Columns = obsOnly })),
            new("decode", "episode decoding alone: all columns, 1 thread, no loader", () => DecodeOnly(files)),
            new("raw-obs", "raw column read (loader's page decoder): obs column only, 1 thread", () => RawObs(files)),
            new("zstd-obs", "obs pages decompressed, not split into rows (software floor)", () => DecompressOnly(files)),
            new("parquetsharp-obs", "ParquetSharp: obs column only, 1 thread", () => ParquetSharpReader.Read(files, obsOnly: true)),
            new("parquetsharp-all", "ParquetSharp: all 10 columns, 1 thread", () => ParquetSharpReader.Read(files, obsOnly: false)),
            new("parquetnet-obs", "Parquet.Net: obs column only, 1 thread", () => ParquetNetObs(files)),
        };
        progress?.WriteLine($"bench data: warm-up round over {readers.Length} readers…");
        foreach (var r in readers) r.Read();
        var best = new ReaderMeasure?[readers.Length];
        for (int round = 0; round < s.Repeat; round++)
        {
            progress?.WriteLine($"bench data: round {round + 1}/{s.Repeat}");
            for (int i = 0; i < readers.Length; i++)
            {
                var m = Measure(readers[i]);
                if (best[i] is null || m.Seconds < best[i]!.Seconds) best[i] = m;
            }
        }
        var first = best[0]!;
        return new DataBenchmarkResult(s, files.Count, first.Rows, first.ObsBytes, files.Sum(f => new FileInfo(f).Length), best.Select(b => b!).ToList(),
            MemcpyBytesPerSecond(), LoadAverage());
    }

    private static ReaderMeasure Measure(Reader reader)
    {
        GC.Collect(); // each reader starts from the same heap, not from the previous reader's garbage
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var (rows, bytes) = reader.Read();
        double seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return new ReaderMeasure(reader.Key, reader.Label, seconds, (process.TotalProcessorTime - cpu).TotalSeconds, rows, bytes);
    }

    /// <summary>One epoch through the loader; counts what the consumer received, not the read-ahead.</summary>
    private static (long, long) Loader(string path, LoaderOptions options)
    {
        using var loader = StreamingLoader.Open([new LoaderSource(path)], options);
        long episodes = loader.EpisodesPerEpoch(), rows = 0, bytes = 0;
        for (long i = 0; i < episodes; i++)
        {
            var e = loader.Next();
            rows += e.Steps.Length;
            foreach (var step in e.Steps) bytes += step.Obs.Length;
        }
        return (rows, bytes);
    }

    private static (long, long) EachRowGroup(IReadOnlyList<string> files, Func<Parquet.ParquetReader, string, int, (long Rows, long Bytes)> read)
    {
        long rows = 0, bytes = 0;
        foreach (var file in files)
        {
            var reader = DemoFile.OpenReader(file);
            try
            {
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    var (r, b) = read(reader, file, g);
                    rows += r;
                    bytes += b;
                }
            }
            finally { DemoFile.Close(reader); }
        }
        return (rows, bytes);
    }

    private static (long, long) DecodeOnly(IReadOnlyList<string> files) =>
        EachRowGroup(files, (reader, file, g) =>
        {
            var decoded = DemoFile.ReadRowGroup(reader, file, g);
            return (decoded.Rows, decoded.ObsBytes);
        });

    private static (long, long) RawObs(IReadOnlyList<string> files) =>
        EachRowGroup(files, (reader, file, g) =>
        {
            var values = DemoFile.ReadBinaryColumn(reader, file, g, DemoSchema.Obs);
            return (values.Length, values.Sum(v => (long)v.Length));
        });

    private static (long, long) DecompressOnly(IReadOnlyList<string> files) =>
        EachRowGroup(files, (reader, file, g) =>
        {
            var column = reader.Metadata!.RowGroups[g].Columns.First(c => c.MetaData?.PathInSchema is [var name] && name == DemoSchema.Obs.Name);
            using var handle = File.OpenHandle(file);
            using var chunk = PlainChunkDecoder.Read(handle, column, reader.Metadata.RowGroups[g].NumRows, indexValues: false)
                              ?? throw new UserError($"{file}: the obs column is not PLAIN + Zstd/uncompressed; the software floor needs our writer's files");
            long rows = chunk.Count;
            return (rows, chunk.Data.Length - 4 * rows); // the 4-byte length prefixes are not observation bytes
        });

    private static (long, long) ParquetNetObs(IReadOnlyList<string> files) =>
        EachRowGroup(files, (reader, file, g) =>
        {
            using var group = reader.OpenRowGroupReader(g);
            var values = new byte[]?[group.RowCount];
            group.ReadAsync(reader.Schema.GetDataFields().First(f => f.Name == DemoSchema.Obs.Name), values.AsMemory()).AsTask().GetAwaiter().GetResult();
            return (values.Length, values.Sum(v => (long)v!.Length));
        });

    /// <summary>Bytes per second a single thread copies between two 64 MB buffers (best of several rounds).</summary>
    public static double MemcpyBytesPerSecond()
    {
        const int size = 64 << 20;
        var from = GC.AllocateUninitializedArray<byte>(size);
        var to = GC.AllocateUninitializedArray<byte>(size);
        from.AsSpan().Fill(1);
        to.AsSpan().Fill(2); // touch every page first
        double best = double.MaxValue;
        for (int round = 0; round < 8; round++)
        {
            var clock = Stopwatch.StartNew();
            from.AsSpan().CopyTo(to);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return size / best;
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }
}
