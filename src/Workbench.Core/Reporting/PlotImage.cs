namespace Workbench.Reporting;

/// <summary>A rendered plot: PNG bytes (embedded in HTML reports) and SVG text (for papers and slides).</summary>
public sealed record PlotImage(string Name, string Title, int Width, int Height, byte[] Png, string Svg)
{
    public string PngDataUri => "data:image/png;base64," + Convert.ToBase64String(Png);

    /// <summary>An HTML img tag with the image embedded (what notebooks display); the title is escaped.</summary>
    public string ToHtml() => $"<img src=\"{PngDataUri}\" alt=\"{Html.Encode(Title)}\" width=\"{Width}\" height=\"{Height}\">";

    /// <summary>Writes <c>name.png</c> and <c>name.svg</c> into a folder (atomically) and returns the PNG path.</summary>
    public string Save(string folder)
    {
        Directory.CreateDirectory(folder);
        string png = Path.Combine(folder, Name + ".png");
        Runtime.AtomicFile.WriteAllBytes(png, Png);
        Runtime.AtomicFile.WriteAllText(Path.Combine(folder, Name + ".svg"), Svg);
        return png;
    }
}
