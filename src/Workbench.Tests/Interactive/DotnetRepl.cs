using System.Diagnostics;
using System.Text;
using Microsoft.DotNet.Interactive.Documents;

namespace Workbench.Tests.Interactive;

/// <summary>One output of an executed cell: its MIME data (display and return values), stream text or error message.</summary>
public sealed record CellOutput(IReadOnlyDictionary<string, string> Data, string? Text, string? Error)
{
    public string? this[string mime] => Data.TryGetValue(mime, out var value) ? value : null;
}

/// <summary>One cell of an executed notebook, numbered from 1 over every cell as the editor shows them.</summary>
public sealed record RunCell(int Number, string Kernel, string Source, IReadOnlyList<CellOutput> Outputs)
{
    public string? FirstError => Outputs.Select(o => o.Error).FirstOrDefault(e => e is not null);
}

/// <summary>What a notebook produced when the real kernel ran it: exit code, every cell with its outputs, and the log.</summary>
public sealed record NotebookRun(string Notebook, int ExitCode, IReadOnlyList<RunCell> Cells, string OutputPath, TimeSpan Elapsed, string Log)
{
    public IEnumerable<CellOutput> Outputs => Cells.SelectMany(c => c.Outputs);

    /// <summary>Every text a reader sees: plain-text values, HTML, streams and errors.</summary>
    public IEnumerable<string> Texts => Outputs.SelectMany(o => o.Data.Where(d => d.Key.StartsWith("text/", StringComparison.Ordinal)).Select(d => d.Value)
        .Concat(o.Text is { } t ? [t] : []).Concat(o.Error is { } e ? [e] : []));

    public int Count(string mime) => Outputs.Count(o => o[mime] is not null);

    /// <summary>HTML outputs a workbench formatter wrote, by kind (<c>data-workbench="dataframe"</c>, …).</summary>
    public int CountHtml(string workbenchKind) =>
        Outputs.Count(o => o["text/html"]?.Contains($"data-workbench=\"{workbenchKind}\"", StringComparison.Ordinal) == true);

    /// <summary>The first failing cell as "notebook cell N (kernel): message", or null when every cell ran.</summary>
    public string? Failure()
    {
        var failed = Cells.FirstOrDefault(c => c.FirstError is not null);
        if (failed is not null)
            return $"{Notebook} cell {failed.Number} ({failed.Kernel}) failed:\n{failed.FirstError}\n--- cell source ---\n{failed.Source}";
        if (ExitCode != 0)
            return $"{Notebook}: dotnet-repl exited with {ExitCode} without a failing cell in {OutputPath}; its log ends:\n{Tail(Log, 4000)}";
        return null;
    }

    private static string Tail(string text, int chars) => text.Length <= chars ? text : text[^chars..];
}

/// <summary>
/// Runs a notebook with the real .NET Interactive C# kernel, the way a user does: dotnet-repl (a local tool pinned in
/// <c>.config/dotnet-tools.json</c>) with <c>--run NOTEBOOK --exit-after-run</c>, from the notebook's folder — the
/// kernel's working directory in VS Code Polyglot Notebooks too, which is what the notebooks' relative <c>#r</c> needs —
/// saving every cell's outputs as .ipynb, which is read back with Microsoft.DotNet.Interactive.Documents.
/// </summary>
public static class DotnetRepl
{
    private static readonly Lazy<string?> Restored = new(Restore);

    /// <summary>Executes every cell; the returned run holds the outputs (a failing cell is in it, not thrown).</summary>
    public static async Task<NotebookRun> RunAsync(string notebookPath, string outputPath, TimeSpan timeout)
    {
        if (Restored.Value is { } problem) throw new InvalidOperationException(problem);
        string folder = Path.GetDirectoryName(Path.GetFullPath(notebookPath))!;
        var clock = Stopwatch.StartNew();
        var (exitCode, log) = await RunProcessAsync(folder, timeout,
            "tool", "run", "dotnet-repl", "--", "--run", Path.GetFileName(notebookPath), "--exit-after-run",
            "--output-path", outputPath, "--output-format", "ipynb");
        clock.Stop();
        string name = Path.GetRelativePath(RepoRoot.Path, notebookPath);
        if (!File.Exists(outputPath))
            return new NotebookRun(name, exitCode == 0 ? -1 : exitCode, [], outputPath, clock.Elapsed, log);
        var document = await InteractiveDocument.LoadAsync(new FileInfo(outputPath));
        var cells = document.Elements.Select((e, i) => new RunCell(i + 1, e.KernelName ?? "", e.Contents ?? "", e.Outputs.Select(Output).ToList())).ToList();
        return new NotebookRun(name, exitCode, cells, outputPath, clock.Elapsed, log);
    }

    private static CellOutput Output(InteractiveDocumentOutputElement element) => element switch
    {
        DisplayElement d => new CellOutput(d.Data.ToDictionary(kv => kv.Key, kv => Text(kv.Value)), null, null),
        ReturnValueElement r => new CellOutput(r.Data.ToDictionary(kv => kv.Key, kv => Text(kv.Value)), null, null),
        TextElement t => new CellOutput(new Dictionary<string, string>(), t.Text, null),
        ErrorElement e => new CellOutput(new Dictionary<string, string>(), null, $"{e.ErrorName}: {e.ErrorValue}"),
        _ => new CellOutput(new Dictionary<string, string>(), element.ToString(), null),
    };

    /// <summary>A MIME value as one string: .ipynb stores text as a string or as a list of lines.</summary>
    private static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Array } a => string.Concat(a.EnumerateArray().Select(e => e.ToString())),
        System.Collections.IEnumerable lines => string.Concat(lines.Cast<object?>().Select(Text)),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// <c>dotnet tool restore</c> once per test run, so <c>dotnet test Workbench.sln</c> works on a fresh clone (.ci/run
    /// restores too). Returns the problem, or null when the tool is ready.
    /// </summary>
    private static string? Restore()
    {
        var (exitCode, log) = RunProcessAsync(RepoRoot.Path, TimeSpan.FromMinutes(5), "tool", "restore").GetAwaiter().GetResult();
        return exitCode == 0 ? null : $"`dotnet tool restore` failed in {RepoRoot.Path} (exit {exitCode}):\n{log}";
    }

    private static async Task<(int ExitCode, string Log)> RunProcessAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var log = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close(); // the REPL must never wait for a keyboard
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (log) log.AppendLine($"[killed after {timeout.TotalSeconds:0} s]");
            return (124, log.ToString());
        }
        lock (log) return (process.ExitCode, log.ToString());
    }
}
