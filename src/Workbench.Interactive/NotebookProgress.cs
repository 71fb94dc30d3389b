using System.Text;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace Workbench.Interactive;

/// <summary>
/// A <see cref="TextWriter"/> for the library's progress output (<c>ProgressBar</c>, run logs) that shows it in the
/// notebook as one output block updated in place: log lines are kept, and each redraw of a progress bar
/// (<c>label [####----] …</c>) replaces that bar's previous line, so the cell shows the live bar while the call runs and
/// its finished line (rate, elapsed time) after. Pass it where the library takes a progress writer
/// (<c>EvalRunOptions.ProgressWriter</c>, <c>BehaviourCloningRecipe.Options.ProgressWriter</c>,
/// <c>DatasetBuilder.EnsureBuilt(path, progress)</c>).
/// </summary>
public sealed class NotebookProgress : TextWriter
{
    private readonly object _gate = new();
    private readonly StringBuilder _line = new();
    private readonly List<string> _lines = [];
    private readonly string _prefix;
    // The cell that asked for progress; writes from worker threads that lost the async flow still reach it.
    private readonly KernelInvocationContext? _context = KernelInvocationContext.Current;
    private DisplayedValue? _shown;

    /// <param name="label">shown before every line (e.g. which of several runs this is); empty for none</param>
    public NotebookProgress(string label = "") => _prefix = label.Length > 0 ? label + ": " : "";

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>The last complete line shown, or null before the first.</summary>
    public string? Latest { get; private set; }

    public override void Write(char value)
    {
        lock (_gate)
        {
            // A terminal bar redraws with '\r'; a log line ends with '\n'. Either completes a line.
            if (value is '\r' or '\n') Show();
            else _line.Append(value);
        }
    }

    public override void Write(string? value)
    {
        if (value is null) return;
        lock (_gate)
            foreach (char c in value) Write(c);
    }

    public override void Flush()
    {
        lock (_gate) Show();
    }

    private void Show()
    {
        string text = _line.ToString().TrimEnd();
        _line.Clear();
        if (text.Length == 0) return;
        Latest = _prefix + text;
        if (_lines.Count > 0 && BarLabel(text) is { } bar && BarLabel(_lines[^1][_prefix.Length..]) == bar) _lines[^1] = Latest;
        else _lines.Add(Latest);
        string block = string.Join('\n', _lines);
        if (_shown is null)
        {
            var context = KernelInvocationContext.Current ?? _context
                ?? throw new InvalidOperationException("NotebookProgress writes into a notebook cell; create it inside a cell");
            _shown = KernelInvocationContextExtensions.Display(context, block, PlainTextFormatter.MimeType);
        }
        else _shown.Update(block);
    }

    /// <summary>The label of a progress-bar line ("train" in "train [###---] 3/10 …"), or null for any other line.</summary>
    private static string? BarLabel(string line)
    {
        int open = line.IndexOf(" [", StringComparison.Ordinal);
        int close = open < 0 ? -1 : line.IndexOf(']', open);
        return close > open + 2 && line[(open + 2)..close].All(c => c is '#' or '-') ? line[..open] : null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Flush();
        base.Dispose(disposing);
    }
}
