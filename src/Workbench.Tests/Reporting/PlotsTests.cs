using System.Xml.Linq;
using SkiaSharp;
using Workbench.Reporting;

namespace Workbench.Tests.Reporting;

public class PlotsTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static TheoryData<string> PlotKinds => new() { "learning", "bars", "safety", "latency", "history", "confusion" };

    private static PlotImage Make(string kind) => kind switch
    {
        "learning" => Plots.LearningCurves(ReportingData.Curves()),
        "bars" => Plots.MetricBars(ReportingData.Estimates(), "success_rate", "benchmark"),
        "safety" => Plots.SafetyPanel(ReportingData.Estimates()),
        "latency" => Plots.QualityVsLatency([new("agent@1", 0.7, 0.65, 0.75, 5.0, 4.6, 5.4), new("agent@2", 0.75, 0.7, 0.8, 6.0, 5.5, 6.6)]),
        "history" => Plots.History(ReportingData.History(new DateOnly(2026, 11, 1), 5), "success_rate", "benchmark"),
        "confusion" => Plots.Confusion(ReportingData.Confusion()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(PlotKinds))]
    public void Every_plot_renders_a_decodable_png_of_the_requested_size_and_an_svg(string kind)
    {
        var image = Make(kind);

        Assert.True(image.Png.Length > 5_000, $"{kind}: PNG of {image.Png.Length} bytes is suspiciously small");
        Assert.Equal(PngSignature, image.Png[..8]);
        using var bitmap = SKBitmap.Decode(image.Png);
        Assert.NotNull(bitmap);
        Assert.Equal(image.Width, bitmap.Width);
        Assert.Equal(image.Height, bitmap.Height);
        // Not a blank canvas: a plot has many distinct colours (text, lines, fills).
        var colours = new HashSet<SKColor>();
        for (int y = 0; y < bitmap.Height; y += 4)
            for (int x = 0; x < bitmap.Width; x += 4)
                colours.Add(bitmap.GetPixel(x, y));
        Assert.True(colours.Count > 10, $"{kind}: only {colours.Count} colours");

        var svg = XDocument.Parse(image.Svg);
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.Contains("<text", image.Svg);
    }

    [Fact]
    public void Save_writes_png_and_svg_files()
    {
        string dir = Directory.CreateTempSubdirectory("wb-plots").FullName;
        try
        {
            string png = Make("bars").Save(dir);
            Assert.True(new FileInfo(png).Length > 0);
            Assert.True(File.Exists(Path.ChangeExtension(png, ".svg")));
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Plot_titles_and_labels_come_from_data()
    {
        var image = Plots.MetricBars(ReportingData.Estimates(), "success_rate", "benchmark");
        Assert.Contains("Success rate", image.Svg);
        Assert.Contains("goto", image.Svg);
        Assert.Contains("agent@2", image.Svg);
    }

    [Fact]
    public void Empty_inputs_are_rejected_with_a_clear_message()
    {
        var e = Assert.Throws<ArgumentException>(() => Plots.MetricBars(ReportingData.Estimates(), "no_such_metric"));
        Assert.Contains("no_such_metric", e.Message);
        Assert.Throws<ArgumentException>(() => Plots.LearningCurves([]));
    }

    [Fact]
    public void Palette_is_okabe_ito()
    {
        Assert.Equal(8, Palette.OkabeIto.Count);
        Assert.Contains(ScottPlot.Color.FromHex("#E69F00"), Palette.OkabeIto);
        Assert.Contains(ScottPlot.Color.FromHex("#0072B2"), Palette.OkabeIto);
    }
}
