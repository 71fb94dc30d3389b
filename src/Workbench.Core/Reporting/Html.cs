using System.Net;
using System.Text;

namespace Workbench.Reporting;

/// <summary>Escaping for the report writers. Every string that comes from data goes through one of these.</summary>
public static class Html
{
    /// <summary>HTML-escapes text for element content and quoted attribute values.</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>
    /// Escapes text for a Markdown table cell or paragraph on GitHub: HTML is escaped (GitHub renders inline HTML),
    /// Markdown punctuation is backslash-escaped, and newlines become spaces so a cell stays one cell.
    /// </summary>
    public static string Markdown(string? text)
    {
        var sb = new StringBuilder();
        foreach (char c in (text ?? "").Replace("\r", " ").Replace("\n", " "))
        {
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '#' or '!' or '~':
                    sb.Append('\\').Append(c); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }
}
