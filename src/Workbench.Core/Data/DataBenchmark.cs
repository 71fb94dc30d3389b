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
/// <param name="MemoryCopy">a single thread's memory-copy rate (bytes per wall second, per CPU second): the hardware limit of
/// a reader that writes each decoded byte once.</param>
/// <param name="BuffersReused">obs decode buffers handed out again (<see cref="RecycledBuffers"/>) / freshly allocated, whole process.</param>
public sealed record DataBenchmarkResult(DataBenchmarkSettings Settings, int Files, long Rows, long ObsBytes, long FileBytes,
    IReadOnlyList<ReaderMeasure> Readers, (double PerSecond, double PerCpuSecond) MemoryCopy, string LoadAverage, long BuffersReused, long BuffersAllocated)
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
        s.AppendLine(string.Create(inv, $"  {"memory copy, 1 thread (hardware limit: each decoded byte written once)".PadRight(width)}{MemoryCopy.PerSecond / 1e6,9:F1} {"",12} |                 {MemoryCopy.PerCpuSecond / 1e6,8:F1}"));
        s.AppendLine(string.Create(inv, $"  obs decode buffers: {BuffersReused:N0} reused, {BuffersAllocated:N0} allocated"));
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
        var floor = this["zstd-obs"];
        s.AppendLine(string.Create(inv, $"  hardware: the 1-thread loader delivers {loader.MBPerCpuSecond / (MemoryCopy.PerCpuSecond / 1e6):P0} of memory-copy speed " +
                                        $"per CPU second ({loader.MBPerSecond / (MemoryCopy.PerSecond / 1e6):P0} wall); decompressing the obs pages alone reaches " +
                                        $"{floor.MBPerCpuSecond / (MemoryCopy.PerCpuSecond / 1e6):P0} ({floor.MBPerSecond / (MemoryCopy.PerSecond / 1e6):P0} wall)"));
        return s.ToString();
    }
}

/// <summary>
/// One epoch through the loader with training's default options (shuffle, shuffle_buffer 256, prefetch 2, 2 decode
/// threads), in a process of its own: resident memory before the loader opened and the process's peak (VmHWM), plus the
/// loader's own high-water mark of decoded bytes held.
/// </summary>
public sealed record LoaderMemoryMeasure(int Repeat, int Files, long Rows, long ObsBytes, long RssBeforeOpen, long PeakRss, long PeakBuffered, double Seconds)
{
    public long Growth => PeakRss - RssBeforeOpen;
}

/// <summary>
/// Peak memory of the loader on a dataset (1×) and on ten times as much data (10×), each measured in several fresh
/// processes. One process's peak varies by ±5–10 % with thread timing (how many decode buffers are in flight before the
/// GC returns the dead ones to <see cref="RecycledBuffers"/>), so one sample per size cannot tell 1.05× from 1.15×; the
/// ratio is taken between the medians, and the range and the ratio of the maxima are printed beside it.
/// </summary>
public sealed record LoaderMemoryScaling(IReadOnlyList<LoaderMemoryMeasure> Small, IReadOnlyList<LoaderMemoryMeasure> Large)
{
    public LoaderMemoryScaling(LoaderMemoryMeasure small, LoaderMemoryMeasure large) : this([small], [large]) { }

    private static double Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2.0;
    }

    public double MedianPeakRss(bool large) => Median((large ? Large : Small).Select(m => m.PeakRss));
    public double MedianGrowth(bool large) => Median((large ? Large : Small).Select(m => m.Growth));

    public string Format()
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(string.Create(inv, $"peak memory of one loader epoch, each in a fresh process (VmHWM; training's loader options), {Small.Count} process(es) per size, interleaved:"));
        foreach (var (name, runs, large) in new[] { ("1x", Small, false), ("10x", Large, true) })
        {
            var m = runs[0];
            string each = runs.Count > 1 ? $" [{string.Join(", ", runs.Select(r => (r.PeakRss / 1e6).ToString("F1", inv)))}]" : "";
            s.AppendLine(string.Create(inv, $"  {name,-4}{m.Files,3} file(s) × {m.Repeat,-2}{m.Rows,10:N0} rows, {m.ObsBytes / 1e6,8:F1} MB of observations: peak RSS {MedianPeakRss(large) / 1e6,7:F1} MB{(runs.Count > 1 ? " median" : "")}{each} " +
                                            $"(before the loader opened {Median(runs.Select(r => r.RssBeforeOpen)) / 1e6:F1} MB, growth {MedianGrowth(large) / 1e6:F1} MB); " +
                                            $"loader's peak buffered {runs.Max(r => r.PeakBuffered) / 1e6:F1} MB; {Median(runs.Select(r => (long)(r.Seconds * 1000))) / 1000:F1} s"));
        }
        s.AppendLine(string.Create(inv, $"  ratio 10x / 1x ({(double)Large[0].ObsBytes / Small[0].ObsBytes:F1}x the data): peak RSS {MedianPeakRss(true) / MedianPeakRss(false):F2}x" +
                                        $"{(Small.Count > 1 ? " (medians; maxima " + ((double)Large.Max(r => r.PeakRss) / Small.Max(r => r.PeakRss)).ToString("F2", inv) + "x)" : "")}, " +
                                        $"growth {MedianGrowth(true) / MedianGrowth(false):F2}x, peak buffered {(double)Large.Max(r => r.PeakBuffered) / Small.Max(r => r.PeakBuffered):F2}x"));
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
        // The warm-up round also sets how many passes over the files one measurement makes: enough for ~0.5 s, so that
        // small datasets are not timed at the resolution of the clocks (process CPU time advances in scheduler ticks).
        progress?.WriteLine($"bench data: warm-up round over {readers.Length} readers…");
        var passes = readers.Select(r => Math.Max(1, (int)Math.Ceiling(0.5 / Math.Max(1e-3, Measure(r, 1).Seconds)))).ToArray();
        var best = new ReaderMeasure?[readers.Length];
        for (int round = 0; round < s.Repeat; round++)
        {
            progress?.WriteLine($"bench data: round {round + 1}/{s.Repeat}");
            for (int i = 0; i < readers.Length; i++)
            {
                var m = Measure(readers[i], passes[i]);
                if (best[i] is null || m.Seconds < best[i]!.Seconds) best[i] = m;
            }
        }
        var first = best[0]!;
        var (reused, fresh, _) = RecycledBuffers.Counts;
        return new DataBenchmarkResult(s, files.Count, first.Rows, first.ObsBytes, files.Sum(f => new FileInfo(f).Length), best.Select(b => b!).ToList(),
            MemoryCopy(), SelfProcess.LoadAverage(), reused, fresh);
    }

    /// <summary>
    /// Peak memory of the loader over the dataset at <paramref name="path"/> (1×) and over ten times as much data (10×: the
    /// same files listed ten times, so every row group occurs ten times in the epoch — a dataset ten times larger in
    /// everything the loader indexes, plans and streams, without writing one). <paramref name="measureInChild"/> runs
    /// <see cref="LoaderMemory"/> in a fresh process for a repeat factor (a process's peak only grows, so each size
    /// needs its own), <paramref name="processes"/> times per size, alternating 1× and 10× so that a change in the machine's
    /// load falls on both.
    /// </summary>
    public static LoaderMemoryScaling MemoryScaling(Func<int, LoaderMemoryMeasure> measureInChild, int processes = 1)
    {
        if (processes < 1) throw new UserError($"bench data: the number of processes per size must be >= 1, got {processes}");
        var small = new List<LoaderMemoryMeasure>();
        var large = new List<LoaderMemoryMeasure>();
        for (int i = 0; i < processes; i++)
        {
            small.Add(measureInChild(1));
            large.Add(measureInChild(10));
        }
        return new(small, large);
    }

    /// <summary>Reads one epoch of <paramref name="path"/>'s files listed <paramref name="repeat"/> times; run it in a fresh process.</summary>
    public static LoaderMemoryMeasure LoaderMemory(string path, int repeat)
    {
        if (repeat < 1) throw new UserError($"bench data: the repeat factor must be >= 1, got {repeat}");
        var resolved = DataPaths.Resolve(path);
        var files = Enumerable.Repeat(resolved, repeat).SelectMany(f => f).ToList();
        long before = SelfProcess.ProcStatusBytes("VmRSS") ?? throw new UserError("bench data --rss needs Linux (/proc/self/status)");
        var clock = Stopwatch.StartNew();
        long rows = 0, bytes = 0, buffered;
        using (var loader = StreamingLoader.Open([new LoaderSource(path) { Files = files }], new LoaderOptions()))
        {
            for (long i = 0, n = loader.EpisodesPerEpoch(); i < n; i++)
            {
                var e = loader.Next();
                rows += e.Steps.Length;
                foreach (var step in e.Steps) bytes += step.Obs.Length;
            }
            buffered = loader.Stats.PeakBufferedBytes;
        }
        return new LoaderMemoryMeasure(repeat, resolved.Count, rows, bytes, before, SelfProcess.ProcStatusBytes("VmHWM")!.Value, buffered, clock.Elapsed.TotalSeconds);
    }

    /// <summary>One measurement: <paramref name="passes"/> passes over the files; times are per pass.</summary>
    private static ReaderMeasure Measure(Reader reader, int passes)
    {
        GC.Collect(); // each reader starts from the same heap, not from the previous reader's garbage
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        (long Rows, long Bytes) read = default;
        for (int p = 0; p < passes; p++) read = reader.Read();
        double seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return new ReaderMeasure(reader.Key, reader.Label, seconds / passes, (process.TotalProcessorTime - cpu).TotalSeconds / passes, read.Rows, read.Bytes);
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

    /// <summary>A single thread copying between two 64 MB buffers: bytes per second of wall time and of process CPU time (best of several rounds).</summary>
    public static (double PerSecond, double PerCpuSecond) MemoryCopy()
    {
        const int size = 64 << 20;
        var from = GC.AllocateUninitializedArray<byte>(size);
        var to = GC.AllocateUninitializedArray<byte>(size);
        from.AsSpan().Fill(1);
        to.AsSpan().Fill(2); // touch every page first
        var process = Process.GetCurrentProcess();
        double wall = double.MaxValue, cpu = double.MaxValue;
        for (int round = 0; round < 5; round++)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            for (int k = 0; k < 4; k++) from.AsSpan().CopyTo(to); // 256 MB: long enough for the CPU clock's ticks
            wall = Math.Min(wall, clock.Elapsed.TotalSeconds / 4);
            process.Refresh();
            cpu = Math.Min(cpu, Math.Max(1e-9, (process.TotalProcessorTime - cpu0).TotalSeconds / 4));
        }
        return (size / wall, size / cpu);
    }
}
