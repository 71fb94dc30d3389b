using Workbench.Reporting;

namespace Workbench.Tests.Reporting;

/// <summary>
/// Opens reports made from real eval results in headless Chromium at 1280 px: the page renders, every image decodes,
/// the console stays quiet, nothing scrolls sideways, table rows stay a few lines tall and the verdict is at the top.
/// </summary>
[Collection(TorchCollection.Name)]
public class BrowserCheckTests
{
    private const int MaxRowHeight = 64; // px: two or three lines of 14-px text with padding

    [ChromiumFact]
    public void A_real_report_fits_a_1280_px_window_with_every_image_loaded_and_no_console_messages()
    {
        string dir = Directory.CreateTempSubdirectory("wb-browser").FullName;
        try
        {
            var files = RealResults.Instance.WriteReport(dir);
            var page = HeadlessChromium.DumpDom(files.Html, width: 1280);

            Assert.Equal("done", page.RootAttribute("data-selfcheck"));
            Assert.Equal("1280", page.RootAttribute("data-viewport-width"));
            int images = int.Parse(page.RootAttribute("data-images-total")!);
            Assert.True(images >= 8, $"only {images} images");
            Assert.Equal("0", page.RootAttribute("data-images-broken"));
            Assert.Equal("0", page.RootAttribute("data-errors"));
            Assert.Empty(page.ConsoleMessages);
            // Layout: no sideways scrolling of the page or of any table, rows of reasonable height, the verdict on top.
            Assert.Equal("0", page.RootAttribute("data-page-overflow"));
            Assert.Equal("0", page.RootAttribute("data-box-overflow"));
            int rowHeight = int.Parse(page.RootAttribute("data-max-row-height")!);
            Assert.InRange(rowHeight, 15, MaxRowHeight);
            Assert.InRange(int.Parse(page.RootAttribute("data-verdict-top")!), 0, 150);

            // A screenshot for people to look at (kept next to the test output when WORKBENCH_KEEP_SCREENSHOT is set).
            string shot = Path.Combine(dir, "screenshot.png");
            HeadlessChromium.Screenshot(files.Html, shot, width: 1280);
            Assert.True(new FileInfo(shot).Length > 10_000);
            if (Environment.GetEnvironmentVariable("WORKBENCH_KEEP_SCREENSHOT") is { Length: > 0 } keep) File.Copy(shot, keep, overwrite: true);
        }
        finally { Directory.Delete(dir, true); }
    }

    [ChromiumFact]
    public void The_check_catches_a_broken_image_a_blocked_script_a_table_too_wide_and_a_row_too_tall()
    {
        // Control: the self-check must be able to fail, or the test above proves nothing.
        string dir = Directory.CreateTempSubdirectory("wb-browser-bad").FullName;
        try
        {
            var model = new ReportModel(new ReportInputs { Title = "broken", Sections = [new("s", [], [new PlotImage("bad", "bad", 10, 10, [1, 2, 3], "<svg/>")])] }, []);
            string wide = "<section><table><tr>" + string.Concat(Enumerable.Range(0, 40).Select(i => $"<td style=\"white-space:nowrap\">column number {i}</td>")) + "</tr></table></section>";
            string tall = "<table style=\"width:60px\"><tr><td>" + string.Join(" ", Enumerable.Repeat("word", 60)) + "</td></tr></table>";
            string html = ReportWriter.Html(model).Replace("</main>", wide + tall + "</main><script>console.log('injected')</script>");
            string path = Path.Combine(dir, "index.html");
            File.WriteAllText(path, html);

            var page = HeadlessChromium.DumpDom(path, width: 1280);
            Assert.Equal("done", page.RootAttribute("data-selfcheck"));
            Assert.Equal("1", page.RootAttribute("data-images-broken"));
            Assert.True(int.Parse(page.RootAttribute("data-box-overflow")!) > 0);
            Assert.True(int.Parse(page.RootAttribute("data-max-row-height")!) > MaxRowHeight);
            // The injected script is refused by the page's Content-Security-Policy, and Chromium says so on the console.
            Assert.Contains(page.ConsoleMessages, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(page.ConsoleMessages, m => m.Contains("\"injected\"", StringComparison.Ordinal));
        }
        finally { Directory.Delete(dir, true); }
    }
}
