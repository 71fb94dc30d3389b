using System.Globalization;
using System.Reflection;

namespace Workbench.Interactive;

/// <summary>
/// A list of records (or anonymous objects) as a flat table: one column per public property, one row per item.
/// The kernel's default view of a list is a collapsible tree per item; for lists of flat records (dataset levels,
/// episodes, gate results) a table reads better. <c>RecordTable.Of(card.Levels)</c>.
/// </summary>
public sealed record RecordTable(string Caption, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows)
{
    public static RecordTable Of<T>(IEnumerable<T> items, string caption = "")
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0).ToList();
        var rows = items.Select(item => (IReadOnlyList<object?>)properties.Select(p => p.GetValue(item)).ToList()).ToList();
        return new RecordTable(caption.Length > 0 ? caption : $"{rows.Count} × {Name(typeof(T))}", properties.Select(p => p.Name).ToList(), rows);
    }

    public string ToHtml() => HtmlTable.Render("records", Caption, Columns,
        Rows.Select(row => (IReadOnlyList<HtmlTable.Cell>)row.Select(Cell).ToList()));

    private static HtmlTable.Cell Cell(object? value) => value switch
    {
        null => new HtmlTable.Cell(""),
        double d => new(d.ToString("0.####", CultureInfo.InvariantCulture), true),
        float f => new(f.ToString("0.####", CultureInfo.InvariantCulture), true),
        IFormattable f and not Enum => new(f.ToString(null, CultureInfo.InvariantCulture), true),
        _ => value.ToString() ?? "",
    };

    // Anonymous types have unspeakable names; call them rows.
    private static string Name(Type type) => type.Name.Contains("AnonymousType", StringComparison.Ordinal) ? "row" : type.Name;
}
