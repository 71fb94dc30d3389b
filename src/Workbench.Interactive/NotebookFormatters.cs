using System.Globalization;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using Workbench.Evals.Comparison;
using Workbench.Evals.Scoring;
using Workbench.Evals.Statistics;
using Workbench.Reporting;

namespace Workbench.Interactive;

/// <summary>
/// How workbench objects look in a notebook: plots as PNG images, DataFrames, eval summaries and version
/// comparisons as HTML tables. Registered once per kernel by <see cref="WorkbenchNotebook.Start"/>; after that
/// <c>display(x)</c> (or a cell ending in <c>x</c>) is all a notebook writes.
/// </summary>
public static class NotebookFormatters
{
    public const string PngMime = "image/png";
    public const string HtmlMime = "text/html";

    /// <summary>Rows of a DataFrame shown inline; the note under the table says how many there are in all.</summary>
    public static int DataFrameRows { get; set; } = 20;

    /// <summary>Size at which a bare <see cref="ScottPlot.Plot"/> is rendered (a <see cref="PlotImage"/> has its own).</summary>
    public static (int Width, int Height) PlotSize { get; set; } = (720, 420);

    private static readonly object Gate = new();
    private static bool _registered;

    public static void Register()
    {
        lock (Gate)
        {
            if (_registered) return;
            _registered = true;
        }
        Image<PlotImage>(p => p.Png);
        Image<ScottPlot.Plot>(p => p.GetImageBytes(PlotSize.Width, PlotSize.Height, ScottPlot.ImageFormat.Png));
        Image<RgbImage>(i => i.ToPng());
        Table<ImageRow>(ImageRow.ToHtml);
        Table<RecordTable>(t => t.ToHtml());
        Table<DataFrame>(DataFrameHtml);
        Table<SuiteSummary>(SummaryHtml);
        Table<ComparisonReport>(ComparisonHtml);
    }

    private static void Image<T>(Func<T, byte[]> png)
    {
        Formatter.Register<T>((value, writer) => writer.Write(Convert.ToBase64String(png(value))), PngMime);
        Formatter.SetPreferredMimeTypesFor(typeof(T), PngMime);
    }

    private static void Table<T>(Func<T, string> html)
    {
        Formatter.Register<T>((value, writer) => writer.Write(html(value)), HtmlMime);
        Formatter.SetPreferredMimeTypesFor(typeof(T), HtmlMime);
    }

    /// <summary>The first <see cref="DataFrameRows"/> rows with column names and types; nulls as empty cells.</summary>
    public static string DataFrameHtml(DataFrame frame)
    {
        long rows = frame.Rows.Count;
        int shown = (int)Math.Min(rows, DataFrameRows);
        var columns = frame.Columns.ToList();
        var headers = columns.Select(c => $"{c.Name} ({TypeName(c.DataType)})").ToList();
        var body = Enumerable.Range(0, shown).Select(r => (IReadOnlyList<HtmlTable.Cell>)columns
            .Select(c => new HtmlTable.Cell(FormatValue(c[r]), IsNumeric(c.DataType))).ToList());
        string note = shown < rows
            ? $"{rows:N0} rows × {columns.Count} columns; the first {shown} are shown"
            : $"{rows:N0} rows × {columns.Count} columns";
        return HtmlTable.Render("dataframe", "DataFrame", headers, body, note);
    }

    /// <summary>One row per task and metric: estimate, 95% interval, n, clusters, method; then any confusion matrix.</summary>
    public static string SummaryHtml(SuiteSummary summary)
    {
        var body = summary.Estimates.Select(e => (IReadOnlyList<HtmlTable.Cell>)
        [
            e.Task, e.Metric, Number(e.Value), Interval(e.Low, e.High),
            new(e.Count.ToString(CultureInfo.InvariantCulture), true), new(e.Clusters.ToString(CultureInfo.InvariantCulture), true),
            e.Method, e.Note,
        ]);
        string html = HtmlTable.Render("suite-summary", $"{summary.Policy} on suite {summary.Suite} v{summary.SuiteVersion}",
            ["task", "metric", "estimate", "95% CI", "n", "seeds", "method", "note"], body);
        return html + string.Concat(summary.Confusions.Select(ConfusionHtml));
    }

    private static string ConfusionHtml(Evals.Scoring.ConfusionMatrix matrix)
    {
        var names = Envs.FashionMnist.MissionNames;
        var body = matrix.Counts.Select((counts, t) => (Target: t, Counts: counts)).Where(r => r.Counts.Sum() > 0)
            .Select(r => (IReadOnlyList<HtmlTable.Cell>)[names[r.Target], .. r.Counts.Select(c => new HtmlTable.Cell(c.ToString(CultureInfo.InvariantCulture), true))]);
        return HtmlTable.Render("confusion", $"confusion of {matrix.Task} (rows: class named, columns: class reached)",
            ["named \\ reached", .. names, "none"], body);
    }

    /// <summary>One row per task and metric: A, B, B − A with its interval, raw and Holm-adjusted p, pairs, verdict.</summary>
    public static string ComparisonHtml(ComparisonReport report)
    {
        var body = report.Rows.Select(row => row.Result is not { } c
            ? (IReadOnlyList<HtmlTable.Cell>)[row.Task, row.Metric, "", "", "n/a", "", "", "", new(row.Pairs.ToString(CultureInfo.InvariantCulture), true), row.Note, ""]
            : [
                row.Task, row.Metric, Number(c.ValueA), Number(c.ValueB),
                new(c.Difference.ToString("+0.###;-0.###;0", CultureInfo.InvariantCulture), true), Interval(c.Low, c.High),
                new(PValueText.Format(c.PValue), true), new(PValueText.Format(c.AdjustedP), true),
                new(row.Pairs.ToString(CultureInfo.InvariantCulture), true),
                new(ComparisonReport.VerdictText(c.Verdict), false, VerdictColor(c.Verdict)), c.Test,
            ]);
        return HtmlTable.Render("comparison", $"suite {report.Suite} v{report.SuiteVersion}: A = {report.A}, B = {report.B}",
            ["task", "metric", "A", "B", "B − A", "95% CI", "p", "p (Holm)", "pairs", "verdict", "test"], body,
            $"Paired on identical episodes; difference = B − A; p Holm-adjusted over {report.Compared.Count()} comparisons.");
    }

    private static string? VerdictColor(Verdict v) => v switch
    {
        Verdict.Better => "#1a7f37",
        Verdict.Worse => "#cf222e",
        _ => null,
    };

    private static HtmlTable.Cell Number(double? value) =>
        new(value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "n/a", true);

    private static HtmlTable.Cell Interval(double? low, double? high) =>
        new(low is { } lo && high is { } hi ? FormattableString.Invariant($"[{lo:0.###}, {hi:0.###}]") : "", true);

    private static string FormatValue(object? value) => value switch
    {
        null => "",
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        float f => f.ToString("0.####", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static bool IsNumeric(Type type) => Type.GetTypeCode(type) is >= TypeCode.SByte and <= TypeCode.Decimal;

    private static string TypeName(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Int32 => "int32",
        TypeCode.Int64 => "int64",
        TypeCode.Single => "float",
        TypeCode.Double => "double",
        TypeCode.Boolean => "bool",
        TypeCode.String => "string",
        _ => type.Name,
    };
}
