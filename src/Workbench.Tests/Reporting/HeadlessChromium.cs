using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Workbench.Tests.Reporting;

/// <summary>
/// Opens a page in headless Chromium. <see cref="DumpDom"/> returns the DOM after load (the report's self-check
/// script has written its results onto the root element by then) and every console message Chromium logged.
/// The binary is $WORKBENCH_CHROMIUM, else the first of chromium, chromium-browser, google-chrome on PATH.
/// </summary>
internal static class HeadlessChromium
{
    public static string? Executable { get; } = Find();

    private static string? Find()
    {
        string? configured = Environment.GetEnvironmentVariable("WORKBENCH_CHROMIUM");
        if (!string.IsNullOrEmpty(configured)) return File.Exists(configured) ? configured : null;
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin");
        foreach (string name in new[] { "chromium", "chromium-browser", "google-chrome" })
            foreach (string dir in dirs)
                if (dir.Length > 0 && File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        return null;
    }

    public sealed record PageResult(string Dom, IReadOnlyList<string> ConsoleMessages)
    {
        /// <summary>An attribute the self-check script set on the root element, or null.</summary>
        public string? RootAttribute(string name)
        {
            var html = Regex.Match(Dom, "<html[^>]*>", RegexOptions.IgnoreCase).Value;
            var m = Regex.Match(html, name + "=\"([^\"]*)\"");
            return m.Success ? m.Groups[1].Value : null;
        }
    }

    /// <summary>The DOM after load in a window <paramref name="width"/> px wide (a laptop browser by default).</summary>
    public static PageResult DumpDom(string htmlPath, int width = 1280, int height = 900) =>
        Run(htmlPath, "--dump-dom", $"--window-size={width},{height}", "--hide-scrollbars");

    public static void Screenshot(string htmlPath, string pngPath, int width = 1200, int height = 2400) =>
        Run(htmlPath, $"--screenshot={pngPath}", $"--window-size={width},{height}", "--hide-scrollbars");

    private static PageResult Run(string htmlPath, params string[] mode)
    {
        string profile = Directory.CreateTempSubdirectory("wb-chromium").FullName;
        try
        {
            var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("chromium not found"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         $"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000",
                     }.Concat(mode).Append(new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri))
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish within 60 s on {htmlPath}");
            }
            process.WaitForExit();
            var console = stderr.Result.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)).ToList();
            if (process.ExitCode != 0) throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {stderr.Result[^Math.Min(2000, stderr.Result.Length)..]}");
            return new PageResult(stdout.Result, console);
        }
        finally
        {
            try { Directory.Delete(profile, true); } catch (IOException) { /* Chromium may still be releasing its profile */ }
        }
    }
}

/// <summary>A fact that is skipped, with the reason shown, when no Chromium is installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.Executable is null)
            Skip = "headless Chromium not found (install it, e.g. apt-get install chromium, or set WORKBENCH_CHROMIUM)";
    }
}
