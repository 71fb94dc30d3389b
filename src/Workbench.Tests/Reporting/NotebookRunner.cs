using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Workbench.Tests.Reporting;

/// <summary>One cell of a .dib notebook; <see cref="Number"/> counts every cell from 1, as the editor shows them.</summary>
public sealed record NotebookCell(int Number, string Kernel, string Code);

/// <summary>What a notebook's <c>HTML(...)</c> returns: markup to show (recorded by <c>display</c>).</summary>
public sealed record HtmlString(string Html)
{
    public override string ToString() => Html;
}

/// <summary>
/// Globals visible to notebook code, mirroring what the .NET Interactive C# kernel provides: <c>display(x)</c>
/// records the value instead of rendering it; <c>HTML(s)</c> wraps markup.
/// </summary>
public sealed class NotebookGlobals
{
    public List<object?> Displayed { get; } = [];

#pragma warning disable IDE1006 // lower-case names are the notebook API
    public object? display(object? value)
    {
        Displayed.Add(value);
        return value;
    }

    public HtmlString HTML(string markup) => new(markup);
#pragma warning restore IDE1006
}

/// <summary>A notebook cell failed to compile or threw.</summary>
public sealed class NotebookCellException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Parses .NET Interactive <c>.dib</c> notebooks and runs their C# cells in order in one Roslyn scripting session
/// (state carries from cell to cell, as in the editor). <c>#r</c> lines are stripped — the runner references
/// Workbench.Core and its dependencies itself — and <c>display</c>/<c>HTML</c> are provided as globals.
/// </summary>
public static class NotebookRunner
{
    private static readonly Regex CellMarker = new(@"^#!(?<kernel>[A-Za-z#+-]+)\s*$");
    private static readonly Regex ReferenceLine = new(@"^\s*#r\s+""(?<what>[^""]+)""\s*$");

    public static IReadOnlyList<NotebookCell> Parse(string text)
    {
        var cells = new List<NotebookCell>();
        string? kernel = null;
        var code = new StringBuilder();
        void Flush()
        {
            if (kernel != null && kernel != "meta") cells.Add(new NotebookCell(cells.Count + 1, kernel, code.ToString().Trim('\n', '\r')));
            code.Clear();
        }
        foreach (string line in text.Replace("\r\n", "\n").Split('\n'))
        {
            var m = CellMarker.Match(line);
            if (m.Success)
            {
                Flush();
                kernel = m.Groups["kernel"].Value.ToLowerInvariant() switch { "c#" => "csharp", var k => k };
                continue;
            }
            code.Append(line).Append('\n');
        }
        Flush();
        return cells;
    }

    /// <summary>Runs every C# cell of the notebook; returns what the notebook displayed.</summary>
    public static async Task<NotebookGlobals> RunAsync(string path)
    {
        var cells = Parse(await File.ReadAllTextAsync(path));
        var unsupported = cells.Where(c => c.Kernel is not ("csharp" or "markdown")).ToList();
        if (unsupported.Count > 0)
            throw new NotebookCellException($"{path} cell {unsupported[0].Number}: kernel '{unsupported[0].Kernel}' is not supported (C# and Markdown only)");

        var globals = new NotebookGlobals();
        var options = ScriptOptions.Default
            .WithReferences(References())
            .WithImports("System", "System.IO", "System.Linq", "System.Collections.Generic", "System.Threading.Tasks")
            .WithFilePath(path)
            .WithEmitDebugInformation(false);
        ScriptState<object>? state = null;
        foreach (var cell in cells.Where(c => c.Kernel == "csharp"))
        {
            string code = StripReferences(cell.Code, path, cell.Number);
            try
            {
                state = state is null
                    ? await CSharpScript.RunAsync(code, options, globals, typeof(NotebookGlobals))
                    : await state.ContinueWithAsync(code, options);
            }
            catch (CompilationErrorException e)
            {
                throw new NotebookCellException($"{Path.GetFileName(path)} cell {cell.Number}: does not compile:\n{string.Join("\n", e.Diagnostics)}", e);
            }
            catch (Exception e) when (e is not NotebookCellException)
            {
                throw new NotebookCellException($"{Path.GetFileName(path)} cell {cell.Number}: {e.GetType().Name}: {e.Message}", e);
            }
        }
        return globals;
    }

    /// <summary>
    /// Removes <c>#r</c> lines. A reference to a built Workbench assembly or to a NuGet package the library already
    /// depends on is satisfied by <see cref="References"/>; anything else is an error (the test cannot provide it).
    /// </summary>
    private static string StripReferences(string code, string path, int cellNumber)
    {
        var kept = new StringBuilder();
        foreach (string line in code.Split('\n'))
        {
            var m = ReferenceLine.Match(line);
            if (!m.Success) { kept.Append(line).Append('\n'); continue; }
            string what = m.Groups["what"].Value;
            string name = what.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase)
                ? what["nuget:".Length..].Split(',')[0].Trim()
                : Path.GetFileNameWithoutExtension(what);
            if (!References().Any(a => string.Equals(a.GetName().Name, name, StringComparison.OrdinalIgnoreCase)))
                throw new NotebookCellException($"{Path.GetFileName(path)} cell {cellNumber}: '#r \"{what}\"' names an assembly the test harness does not load");
            kept.Append("// ").Append(line).Append('\n'); // keep line numbers stable in error messages
        }
        return kept.ToString();
    }

    private static IReadOnlyList<Assembly>? _references;

    /// <summary>Workbench.Core, its dependencies, and everything already loaded into the test process.</summary>
    private static IReadOnlyList<Assembly> References()
    {
        if (_references != null) return _references;
        Type[] anchors =
        [
            typeof(Workbench.Reporting.Plots), typeof(ScottPlot.Plot), typeof(Microsoft.Data.Analysis.DataFrame),
            typeof(Parquet.ParquetReader), typeof(MathNet.Numerics.Statistics.Statistics), typeof(YamlDotNet.Serialization.Serializer),
            typeof(TorchSharp.torch),
        ];
        foreach (var t in anchors) _ = t.Assembly;
        foreach (var name in typeof(Workbench.Reporting.Plots).Assembly.GetReferencedAssemblies())
        {
            try { Assembly.Load(name); } catch (FileNotFoundException) { /* optional dependency not deployed */ }
        }
        return _references = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && !string.IsNullOrEmpty(a.Location))
            .GroupBy(a => a.GetName().Name).Select(g => g.First()).ToList();
    }
}
