using System.Xml.Linq;
using SkiaSharp;
using Workbench.Reporting;

namespace Workbench.Tests.Reporting;

/// <summary>Every plot, drawn from real eval results (<see cref="RealResults"/>).</summary>
[Collection(TorchCollection.Name)]
public class PlotsTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static RealResults Real => RealResults.Instance;

    public static TheoryData<string> PlotKinds => new() { "learning", "bars", "safety", "latency", "history" };

    private static PlotImage Make(string kind) => kind switch
    {
        "learning" => Plots.LearningCurves(Real.Inputs.LearningCurves),
        "bars" => Plots.MetricBars(Real.Estimates, "success_rate", "quickstart"),
        "safety" => Plots.SafetyPanel(Real.Estimates),
        "latency" => Plots.QualityVsLatency(Real.Inputs.QualityLatency),
        // Three nights of the same real estimates: a line with its interval band per version.
        "history" => Plots.History(Enumerable.Range(0, 3).SelectMany(k => NightlyHistory.FromEstimates(new DateOnly(2026, 11, 1).AddDays(k), Real.Estimates)),
            "success_rate", "quickstart"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Fact]
    public void The_safety_panel_shows_every_metric_the_safety_scorers_emit_with_its_direction()
    {
        var safety = Real.Estimates.Where(e => e.Info.Group == Workbench.Evals.Scoring.MetricGroup.Safety).Select(e => e.Metric).Distinct().Order().ToList();
        Assert.Equal(["harm_attempted_rate", "harm_done_rate", "harmful_compliance_rate", "lava_entry_rate", "over_refusal_rate", "refusal_rate"], safety);
        var panel = Plots.SafetyPanel(Real.Estimates);
        Assert.Contains("Lava entry rate ↓", panel.Svg);
        Assert.Contains("Refusal rate ↑", panel.Svg);
        Assert.Contains("lava-gap", panel.Svg);
        // The report puts the safety panel in and does not repeat those metrics as separate bar charts.
        var plots = ReportBuilder.Build(Real.Inputs).Plots;
        Assert.Contains(plots, p => p.Name == "safety_panel");
        Assert.DoesNotContain(plots, p => p.Name.Contains("lava_entry_rate", StringComparison.Ordinal));
    }

    [Fact]
    public void Whiskers_point_the_way_the_interval_goes()
    {
        // The bot never entered lava: 0 % with a Wilson interval that reaches up only. Drawn beside random's estimate (same
        // axis either way), the bot's whisker adds ink above its zero bar — unless it were drawn mirrored, below the axis.
        var bot = Real.Estimates.First(e => e.Version == "bot" && e.Metric == "lava_entry_rate");
        var random = Real.Estimates.First(e => e.Version == "random" && e.Metric == "lava_entry_rate" && e.Task == bot.Task);
        Assert.Equal(0, bot.Value);
        Assert.True(bot.High > 0.2 && random.High > bot.High);
        int Ink(MetricEstimate withBot)
        {
            using var bitmap = SKBitmap.Decode(Plots.MetricBars([withBot, random], "lava_entry_rate", bot.Suite).Png);
            int dark = 0;
            for (int y = 0; y < bitmap.Height; y++)
                for (int x = 0; x < bitmap.Width; x++)
                    if (bitmap.GetPixel(x, y) is var c && c.Red + c.Green + c.Blue < 240) dark++;
            return dark;
        }
        Assert.True(Ink(bot) > Ink(bot with { High = 0 }) + 100, "the bot's interval whisker is missing above its bar");
    }

    [Fact]
    public void Axis_labels_carry_the_declared_unit()
    {
        Assert.Contains("Latency ms (ms)", Plots.MetricBars(Real.Estimates, "latency_ms", "efficiency").Svg);
        Assert.Contains("Mean steps (steps)", Plots.MetricBars(Real.Estimates, "mean_steps", "quickstart").Svg);
        Assert.Contains("Success rate (%)", Plots.MetricBars(Real.Estimates, "success_rate", "quickstart").Svg);
    }

    [Envs.FashionFact]
    public void The_vision_suite_draws_a_confusion_matrix_of_class_named_against_class_reached()
    {
        var panels = Real.Inputs.Confusions;
        Assert.Equal(["bot", "random", "agent@v1"], panels.Where(p => p.Matrix.Task == "fashion-goto").Select(p => p.Version));
        var random = panels.Single(p => p.Version == "random" && p.Matrix.Task == "fashion-goto");
        Assert.Equal(10, random.Matrix.Rows.Count);
        Assert.Equal("none", random.Matrix.Columns[^1]);
        Assert.Equal(8, random.Matrix.Counts.Sum(r => r.Sum()));
        // The bot reaches the named picture every time: all its counts sit on the diagonal.
        var bot = panels.Single(p => p.Version == "bot" && p.Matrix.Task == "fashion-goto").Matrix;
        Assert.Equal(8, Enumerable.Range(0, 10).Sum(i => bot.Counts[i][i]));
        var image = Plots.Confusion(random);
        Assert.Contains("Class reached", image.Svg);
        Assert.Contains("none", image.Svg);
        Assert.Contains(ReportBuilder.Build(Real.Inputs).Plots, p => p.Name.StartsWith("confusion_random_fashion_fashion_goto", StringComparison.Ordinal));
        Assert.Contains(Real.Estimates, e => e.Metric == "wrong_class_rate" && e.Version == "random");
    }

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
        var image = Plots.MetricBars(Real.Estimates, "success_rate", "quickstart");
        Assert.Contains("Success rate ↑", image.Svg);
        Assert.Contains("goto-red-ball-grey", image.Svg);
        Assert.Contains("agent@v1", image.Svg);
    }

    [Fact]
    public void Empty_inputs_are_rejected_with_a_clear_message()
    {
        var e = Assert.Throws<ArgumentException>(() => Plots.MetricBars(Real.Estimates, "no_such_metric"));
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
