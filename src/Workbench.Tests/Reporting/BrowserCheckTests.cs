using Workbench.Reporting;

namespace Workbench.Tests.Reporting;

/// <summary>Opens generated reports in headless Chromium: the page renders, every image decodes, the console stays quiet.</summary>
public class BrowserCheckTests
{
    [ChromiumFact]
    public void Example_report_renders_with_every_image_loaded_and_no_console_messages()
    {
        string dir = Directory.CreateTempSubdirectory("wb-browser").FullName;
        try
        {
            var files = ExampleReport.Write(dir, new DateOnly(2026, 11, 20));
            var page = HeadlessChromium.DumpDom(files.Html);

            Assert.Equal("done", page.RootAttribute("data-selfcheck"));
            int images = int.Parse(page.RootAttribute("data-images-total")!);
            Assert.True(images >= 6, $"only {images} images");
            Assert.Equal("0", page.RootAttribute("data-images-broken"));
            Assert.Equal("0", page.RootAttribute("data-errors"));
            Assert.Empty(page.ConsoleMessages);
            Assert.Contains("id=\"verdict\"", page.Dom);

            // A screenshot for people to look at (kept next to the test output when WORKBENCH_KEEP_SCREENSHOT is set).
            string shot = Path.Combine(dir, "screenshot.png");
            HeadlessChromium.Screenshot(files.Html, shot);
            Assert.True(new FileInfo(shot).Length > 10_000);
            if (Environment.GetEnvironmentVariable("WORKBENCH_KEEP_SCREENSHOT") is { Length: > 0 } keep) File.Copy(shot, keep, overwrite: true);
        }
        finally { Directory.Delete(dir, true); }
    }

    [ChromiumFact]
    public void The_check_catches_a_broken_image_and_a_blocked_script()
    {
        // Control: the self-check must be able to fail, or the test above proves nothing.
        string dir = Directory.CreateTempSubdirectory("wb-browser-bad").FullName;
        try
        {
            var model = new ReportModel { Title = "broken", Sections = [new("s", [], [new PlotImage("bad", "bad", 10, 10, [1, 2, 3], "<svg/>")])] };
            string html = ReportWriter.Html(model).Replace("</main>", "</main><script>console.log('injected')</script>");
            string path = Path.Combine(dir, "index.html");
            File.WriteAllText(path, html);

            var page = HeadlessChromium.DumpDom(path);
            Assert.Equal("done", page.RootAttribute("data-selfcheck"));
            Assert.Equal("1", page.RootAttribute("data-images-broken"));
            // The injected script is refused by the page's Content-Security-Policy, and Chromium says so on the console.
            Assert.Contains(page.ConsoleMessages, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(page.ConsoleMessages, m => m.Contains("\"injected\"", StringComparison.Ordinal));
        }
        finally { Directory.Delete(dir, true); }
    }
}
