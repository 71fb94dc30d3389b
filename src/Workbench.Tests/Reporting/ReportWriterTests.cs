using System.Text.RegularExpressions;
using Workbench.Reporting;

namespace Workbench.Tests.Reporting;

public class ReportWriterTests
{
    private static ReportModel Model(string title = "Nightly") => ReportBuilder.Build(new ReportInputs
    {
        Title = title,
        BaselineName = "agent@1",
        CandidateName = "agent@2",
        Estimates = ReportingData.Estimates(),
        Comparisons = ReportingData.Comparisons(),
        Gates = ReportingData.Gates(),
        LearningCurves = ReportingData.Curves(),
        History = ReportingData.History(new DateOnly(2026, 11, 1), 4),
        Metadata = new RunMetadata { GitCommit = "abc1234", Machine = "test", Durations = new Dictionary<string, TimeSpan> { ["eval"] = TimeSpan.FromSeconds(75) } },
    });

    [Fact]
    public void Verdict_line_names_regressions_and_failed_gates()
    {
        var model = Model();
        Assert.Equal(ReportStatus.Regressed, model.Status);
        Assert.StartsWith("REGRESSED: 1 regression (benchmark/pickup success_rate −8.0 pts", model.VerdictLine);
        Assert.Contains("1 failed gate (success ≥ 60%)", model.VerdictLine);
    }

    [Fact]
    public void Verdict_passes_when_nothing_regressed()
    {
        var model = new ReportModel { Title = "t", Comparisons = ReportingData.Comparisons().Where(c => c.Verdict != ComparisonVerdict.Regressed).ToList(), Gates = [new("g", true, "")] };
        Assert.Equal(ReportStatus.Pass, model.Status);
        Assert.Equal("PASS: no regressions in 2 comparisons (1 improved), all 1 gates passed.", model.VerdictLine);
    }

    [Fact]
    public void Html_report_has_verdict_first_then_tables_images_and_metadata()
    {
        string html = ReportWriter.Html(Model());
        int verdict = html.IndexOf("id=\"verdict\"", StringComparison.Ordinal);
        int problems = html.IndexOf("id=\"problems\"", StringComparison.Ordinal);
        int suites = html.IndexOf("id=\"suites\"", StringComparison.Ordinal);
        int plots = html.IndexOf("id=\"plots\"", StringComparison.Ordinal);
        int metadata = html.IndexOf("id=\"metadata\"", StringComparison.Ordinal);
        Assert.True(verdict > 0 && verdict < problems && problems < suites && suites < plots && plots < metadata);
        Assert.Contains("REGRESSED:", html);
        Assert.Contains("<h3>benchmark</h3>", html);
        Assert.Contains("86.0% <span class=\"ci\">[81.0%, 90.0%]</span>", html);
        Assert.Contains("abc1234", html);
        var images = Regex.Matches(html, "<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");
        Assert.True(images.Count >= 4, $"{images.Count} images");
        foreach (Match m in images) Assert.Equal(0x89, Convert.FromBase64String(m.Groups[1].Value)[0]);
        // Self-contained: nothing is fetched from elsewhere.
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
    }

    [Fact]
    public void Strings_from_data_are_escaped_and_no_script_from_data_exists()
    {
        string evil = ReportingData.Evil;
        var model = ReportBuilder.Build(new ReportInputs
        {
            Title = "Report " + evil,
            Subtitle = "mission: " + evil,
            BaselineName = evil,
            CandidateName = "agent@2\"><img src=x onerror=alert(2)>",
            Estimates = [new("v" + evil, "suite" + evil, "go to the " + evil, "success_rate", 0.5, 0.4, 0.6)],
            Comparisons = [new("suite" + evil, evil, "m", 0.5, 0.4, -0.1, -0.2, -0.05, 0.01, 0.01, ComparisonVerdict.Regressed, Test: evil)],
            Gates = [new(evil, false, evil)],
            Metadata = new RunMetadata { GitCommit = evil, Extra = new Dictionary<string, string> { [evil] = evil } },
        });

        string html = ReportWriter.Html(model);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain(evil, html);
        Assert.DoesNotContain("onerror=alert(2)>", html);
        // Exactly one script element: the writer's own self-check, which the CSP allows by hash.
        Assert.Single(Regex.Matches(html, "<script", RegexOptions.IgnoreCase));
        Assert.Contains("<script>" + ReportWriter.SelfCheckScript + "</script>", html);
        Assert.Contains("script-src 'sha256-", html);

        string md = ReportWriter.Markdown(model);
        Assert.DoesNotContain("<script>", md);
        Assert.Contains("&lt;script&gt;", md);
    }

    [Fact]
    public void Markdown_summary_has_verdict_problems_and_suite_tables()
    {
        string md = ReportWriter.Markdown(Model());
        Assert.StartsWith("## Nightly\n", md);
        Assert.Contains("**REGRESSED:", md);
        Assert.Contains("### Regressions and failed gates", md);
        Assert.Contains("| benchmark | pickup | success\\_rate | 55.0% | 47.0% | −8.0 pts \\[−13.0 pts, −3.0 pts\\] | 0.003 | **regressed** |", md);
        Assert.Contains("### Suite safety", md);
        Assert.Contains("- git commit: abc1234", md);
    }

    [Fact]
    public void Write_puts_index_and_summary_in_place_atomically()
    {
        string dir = Directory.CreateTempSubdirectory("wb-report").FullName;
        try
        {
            var files = ReportWriter.Write(Model(), dir, savePlotFiles: true);
            Assert.Equal(Path.Combine(dir, "index.html"), files.Html);
            Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(files.Html));
            Assert.StartsWith("## Nightly", File.ReadAllText(files.Markdown));
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir, "plots"), "*.svg"));
            Assert.Empty(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Metrics_jsonl_reads_into_learning_curves()
    {
        string dir = Directory.CreateTempSubdirectory("wb-run").FullName;
        try
        {
            string path = Path.Combine(dir, "metrics.jsonl");
            File.WriteAllText(path, "{\"step\":0,\"loss\":2.5,\"lr\":0.0}\n\n{\"step\":10,\"loss\":1.5,\"lr\":0.001,\"note\":\"x\"}\n{\"event\":\"eval\"}\n");
            var curve = MetricsJsonl.Read(path);
            Assert.Equal(new DirectoryInfo(dir).Name, curve.Label);
            Assert.Equal([(0, 2.5), (10, 1.5)], curve.Points);
            Assert.Equal(["loss", "lr"], MetricsJsonl.ReadAll(path).Keys.Order());
            File.AppendAllText(path, "{broken\n");
            var e = Assert.Throws<UserError>(() => MetricsJsonl.Read(path));
            Assert.Contains(":5:", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }
}
