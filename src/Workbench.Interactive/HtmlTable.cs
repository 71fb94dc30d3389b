using System.Text;
using Workbench.Reporting;

namespace Workbench.Interactive;

/// <summary>
/// The one HTML table the formatters write: a caption, a header row, body rows, an optional note below. Every cell
/// is escaped here (data is never trusted as markup). <paramref name="kind"/> becomes the <c>data-workbench</c>
/// attribute, so readers of a saved notebook (and its tests) can tell which formatter made a table.
/// </summary>
internal static class HtmlTable
{
    public const string Style =
        "border-collapse:collapse;font-family:system-ui,sans-serif;font-size:13px;margin:4px 0";
    private const string CellStyle = "border-bottom:1px solid #ddd;padding:2px 8px;text-align:right;white-space:nowrap";
    private const string TextCellStyle = "border-bottom:1px solid #ddd;padding:2px 8px;text-align:left;white-space:nowrap";

    /// <summary>One body cell: its text and whether it reads as a number (right-aligned) and an optional colour.</summary>
    public readonly record struct Cell(string Text, bool Numeric = false, string? Color = null)
    {
        public static implicit operator Cell(string text) => new(text);
    }

    public static string Render(string kind, string caption, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<Cell>> rows,
        string? note = null)
    {
        var sb = new StringBuilder();
        sb.Append("<table data-workbench=\"").Append(Html.Encode(kind)).Append("\" style=\"").Append(Style).Append("\">");
        sb.Append("<caption style=\"text-align:left;font-weight:600;padding:2px 0\">").Append(Html.Encode(caption)).Append("</caption>");
        sb.Append("<thead><tr>");
        foreach (string h in headers)
            sb.Append("<th style=\"").Append(TextCellStyle).Append(";border-bottom:2px solid #888\">").Append(Html.Encode(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            foreach (var cell in row)
            {
                sb.Append("<td style=\"").Append(cell.Numeric ? CellStyle : TextCellStyle);
                if (cell.Color is { } color) sb.Append(";color:").Append(Html.Encode(color)).Append(";font-weight:600");
                sb.Append("\">").Append(Html.Encode(cell.Text)).Append("</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        if (note is not null)
            sb.Append("<div style=\"font-family:system-ui,sans-serif;font-size:12px;color:#666\">").Append(Html.Encode(note)).Append("</div>");
        return sb.ToString();
    }
}
