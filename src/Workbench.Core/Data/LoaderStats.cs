using System.Diagnostics;

namespace Workbench.Data;

/// <summary>
/// Live counters of a <see cref="StreamingLoader"/> (thread-safe). Throughput is measured from the loader's opening:
/// rows and bytes decoded per second of wall time; <see cref="ConsumerWait"/> is the time <c>Next()</c> spent waiting
/// for decoded data (near zero when prefetch keeps up).
/// </summary>
public sealed class LoaderStats
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private readonly List<string> _problems = [];
    private long _rows, _rowGroups, _compressedBytes, _obsBytes, _episodesOut, _waitTicks, _held, _peakHeld;
    private int _skippedFiles, _skippedRowGroups;

    public long RowsDecoded => Interlocked.Read(ref _rows);
    public long RowGroupsDecoded => Interlocked.Read(ref _rowGroups);
    /// <summary>Compressed bytes of the row groups decoded (what was read from disk).</summary>
    public long BytesRead => Interlocked.Read(ref _compressedBytes);
    /// <summary>Decoded observation payload bytes.</summary>
    public long ObsBytesDecoded => Interlocked.Read(ref _obsBytes);
    public long EpisodesDelivered => Interlocked.Read(ref _episodesOut);
    public TimeSpan Elapsed => _clock.Elapsed;
    public TimeSpan ConsumerWait => TimeSpan.FromTicks(Interlocked.Read(ref _waitTicks));
    public int SkippedFiles => _skippedFiles;
    public int SkippedRowGroups => _skippedRowGroups;

    /// <summary>Estimated managed bytes held right now by decoded row groups (queued, in flight, in the shuffle block).</summary>
    public long BufferedBytes => Interlocked.Read(ref _held);
    /// <summary>High-water mark of <see cref="BufferedBytes"/>: what bounds the loader's memory.</summary>
    public long PeakBufferedBytes => Interlocked.Read(ref _peakHeld);

    public double RowsPerSecond => RowsDecoded / Math.Max(1e-9, Elapsed.TotalSeconds);
    public double MBPerSecond => BytesRead / 1e6 / Math.Max(1e-9, Elapsed.TotalSeconds);
    public double ObsMBPerSecond => ObsBytesDecoded / 1e6 / Math.Max(1e-9, Elapsed.TotalSeconds);

    public IReadOnlyList<string> Problems { get { lock (_gate) return [.. _problems]; } }

    internal void Decoded(long rows, long compressedBytes, long obsBytes)
    {
        Interlocked.Add(ref _rows, rows);
        Interlocked.Increment(ref _rowGroups);
        Interlocked.Add(ref _compressedBytes, compressedBytes);
        Interlocked.Add(ref _obsBytes, obsBytes);
    }

    internal void Delivered() => Interlocked.Increment(ref _episodesOut);
    internal void Waited(long ticks) => Interlocked.Add(ref _waitTicks, ticks);

    internal void Hold(long bytes)
    {
        long now = Interlocked.Add(ref _held, bytes);
        long peak;
        while (now > (peak = Interlocked.Read(ref _peakHeld)) && Interlocked.CompareExchange(ref _peakHeld, now, peak) != peak) { }
    }

    internal void Release(long bytes) => Interlocked.Add(ref _held, -bytes);

    internal bool SkippedFile(string problem)
    {
        lock (_gate) { _skippedFiles++; _problems.Add(problem); }
        return true;
    }

    /// <summary>Counts a bad row group; returns false when it was already reported (seen again in a later epoch).</summary>
    internal bool SkippedRowGroup(string problem)
    {
        lock (_gate)
        {
            if (_problems.Contains(problem)) return false;
            _skippedRowGroups++;
            _problems.Add(problem);
            return true;
        }
    }

    public override string ToString() =>
        $"{RowsDecoded:N0} rows, {RowsPerSecond:N0} rows/s, {MBPerSecond:F1} MB/s read ({ObsMBPerSecond:F1} MB/s obs), " +
        $"consumer waited {ConsumerWait.TotalSeconds:F2}s, peak buffered {PeakBufferedBytes / 1e6:F1} MB" +
        (SkippedFiles + SkippedRowGroups > 0 ? $", skipped {SkippedFiles} file(s) and {SkippedRowGroups} row group(s)" : "");
}
