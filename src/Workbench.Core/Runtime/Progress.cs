using System.Diagnostics;

namespace Workbench.Runtime;

/// <summary>
/// A progress bar with rate and ETA on stderr. On a terminal it redraws one line (at most 4 times a second);
/// when stderr is redirected it prints a plain line every 10% so logs stay readable.
/// </summary>
public sealed class Progress(string label, long total, TextWriter? output = null) : IDisposable
{
    private readonly TextWriter _out = output ?? Console.Error;
    private readonly bool _interactive = output is null && !Console.IsErrorRedirected;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _start = -1, _done;
    private TimeSpan _lastDraw = TimeSpan.MinValue;
    private int _lastDecile = -1;

    /// <summary>Sets the position (first call fixes where a resumed run started, for an honest rate).</summary>
    public void Report(long done, string? detail = null)
    {
        if (_start < 0) _start = done;
        _done = done;
        var now = _clock.Elapsed;
        int decile = total <= 0 ? 0 : (int)(10 * done / total);
        bool draw = _interactive ? now - _lastDraw > TimeSpan.FromMilliseconds(250) || done >= total : decile != _lastDecile;
        if (!draw) return;
        _lastDraw = now;
        _lastDecile = decile;
        _out.Write((_interactive ? "\r" : "") + Format(now, detail) + (_interactive ? "\u001b[K" : Environment.NewLine));
    }

    public string Format(TimeSpan elapsed, string? detail)
    {
        const int width = 24;
        double fraction = total <= 0 ? 1 : Math.Clamp((double)_done / total, 0, 1);
        int filled = (int)(fraction * width);
        double rate = (_done - _start) / Math.Max(elapsed.TotalSeconds, 1e-9);
        string eta = rate > 0 && _done < total ? Clock(TimeSpan.FromSeconds((total - _done) / rate)) : "--:--";
        return $"{label} [{new string('#', filled)}{new string('.', width - filled)}] {_done}/{total} " +
               $"{rate:0.0} it/s elapsed {Clock(elapsed)} ETA {eta}" + (detail is null ? "" : $" {detail}");
    }

    private static string Clock(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss") : t.ToString(@"mm\:ss");

    public void Dispose()
    {
        if (_interactive) _out.WriteLine();
    }
}
