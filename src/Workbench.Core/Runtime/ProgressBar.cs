using System.Diagnostics;

namespace Workbench.Runtime;

/// <summary>
/// A progress bar with rate and ETA on stderr. On a terminal it redraws one line; otherwise (CI logs,
/// redirected output) it prints a line at most every few seconds so logs stay readable.
/// </summary>
public sealed class ProgressBar : IDisposable
{
    private readonly string _label;
    private readonly long _total;
    private readonly TextWriter _writer;
    private readonly bool _interactive;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _minInterval;
    private TimeSpan? _lastDraw; // null until the first draw (TimeSpan.MinValue made Elapsed − _lastDraw overflow)
    private long _done;
    private long _drawnDone = -1; // progress shown by the last draw, so Dispose does not repeat the final line
    private string _suffix = "";
    private bool _finished;

    public ProgressBar(string label, long total, TextWriter? writer = null, bool? interactive = null)
    {
        _label = label;
        _total = Math.Max(1, total);
        _writer = writer ?? Console.Error;
        // Redraw in place only on the real terminal's stderr (the CLI passes Console.Error explicitly).
        _interactive = interactive ?? (ReferenceEquals(_writer, Console.Error) && !Console.IsErrorRedirected);
        _minInterval = _interactive ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(5);
    }


    public long Done => _done;

    public void Report(long done, string? suffix = null)
    {
        _done = Math.Min(done, _total);
        if (suffix != null) _suffix = suffix;
        if (_lastDraw is not { } last || _clock.Elapsed - last >= _minInterval || _done == _total) Draw();
    }

    public void Advance(long by = 1, string? suffix = null) => Report(_done + by, suffix);

    private void Draw()
    {
        _lastDraw = _clock.Elapsed;
        _drawnDone = _done;
        double fraction = (double)_done / _total;
        double elapsed = _clock.Elapsed.TotalSeconds;
        double rate = elapsed > 0 ? _done / elapsed : 0;
        string eta = rate > 0 && _done < _total ? Format(TimeSpan.FromSeconds((_total - _done) / rate)) : "--:--";
        const int width = 24;
        int filled = (int)Math.Round(fraction * width);
        string bar = new string('#', filled) + new string('-', width - filled);
        string line = $"{_label} [{bar}] {_done}/{_total} {fraction,4:P0} {Format(_clock.Elapsed)} elapsed, ETA {eta}, {rate:0.#}/s {_suffix}";
        if (_interactive) _writer.Write("\r" + line.PadRight(Math.Min(Console.WindowWidth > 0 ? Console.WindowWidth - 1 : 120, 160)));
        else _writer.WriteLine(line);
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss") : t.ToString(@"mm\:ss");

    public void Dispose()
    {
        if (_finished) return;
        _finished = true;
        if (_drawnDone != _done) Draw();
        if (_interactive) _writer.WriteLine();
    }
}
