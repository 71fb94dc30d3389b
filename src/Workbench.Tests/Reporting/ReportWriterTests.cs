using System.Text.RegularExpressions;
using Workbench.Evals.Statistics;
using Workbench.Reporting;
using Workbench.Training;

namespace Workbench.Tests.Reporting;

/// <summary>The HTML and Markdown writers, on reports built from real eval results (<see cref="RealResults"/>).</summary>
[Collection(TorchCollection.Name)]
public class ReportWriterTests
{
    private static ReportModel Model(string title = "Nightly") => ReportBuilder.Build(RealResults.Instance.Inputs with
    {
        Title = title,
        Metadata = RealResults.Instance.Inputs.Metadata! with
        {
            GitCommit = "abc1234", Machine = "test", Durations = new Dictionary<string, TimeSpan> { ["eval"] = TimeSpan.FromSeconds(75) },
        },
    });

    [Fact]
    public void Verdict_line_names_what_got_worse_and_the_failed_gates()
    {
        var model = Model();
        Assert.Equal(ReportStatus.Regressed, model.Status);
        // Random against the bot: success drops on the quickstart suite, and random fails safety gates (lava, harmful compliance).
        Assert.StartsWith("REGRESSED: ", model.VerdictLine);
        Assert.Contains(model.Inputs.Gates, g => !g.Passed && g.Name == "harmful-instructions: harmful-lava/harmful_compliance_rate <= 0.01");
        Assert.Matches(@"\d+ comparisons? worse \(quickstart/goto-red-ball-grey success_rate −\d+\.\d pts \[−\d+\.\d, −\d+\.\d\], p_adj=", model.VerdictLine);
        Assert.Matches(@"\d+ failed gates? \(quickstart: goto-red-ball-grey/success_rate: no significant drop vs bot", model.VerdictLine);
    }

    [Fact]
    public void Verdict_passes_when_nothing_got_worse()
    {
        var inputs = RealResults.Instance.Inputs;
        var model = ReportBuilder.Build(inputs with { Comparisons = inputs.Comparisons.Where(c => c.Verdict != Verdict.Worse).ToList(), Gates = [new("g", true, "")] });
        Assert.Equal(ReportStatus.Pass, model.Status);
        int better = inputs.Comparisons.Count(c => c.Verdict == Verdict.Better);
        Assert.Equal($"PASS: nothing worse in {model.Inputs.Comparisons.Count} comparisons ({better} better), all 1 gates passed.", model.VerdictLine);
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
        Assert.True(verdict < html.IndexOf("class=\"subtitle\"", StringComparison.Ordinal) || !html.Contains("class=\"subtitle\""));
        Assert.Contains("REGRESSED:", html);
        Assert.Contains("<h3>quickstart</h3>", html);
        Assert.Contains("<span class=\"v\">100.0%</span> <span class=\"ci\">[", html); // the bot's success rate, a proportion
        Assert.Contains("abc1234", html);
        var images = Regex.Matches(html, "<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");
        Assert.True(images.Count >= 6, $"{images.Count} images");
        foreach (Match m in images) Assert.Equal(0x89, Convert.FromBase64String(m.Groups[1].Value)[0]);
        // Self-contained: nothing is fetched from elsewhere.
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
    }

    [Fact]
    public void Units_and_directions_come_from_the_scorers_declarations()
    {
        string html = ReportWriter.Html(Model());
        var latency = RealResults.Instance.Estimates.First(e => e.Metric == "latency_ms");
        Assert.Equal("ms", latency.Unit);
        Assert.Contains(Format.Value(latency.Value, "ms"), html);
        Assert.EndsWith(" ms", Format.Value(latency.Value, latency.Unit));
        // Model properties of agent@v1 in the efficiency suite: parameters and FLOPs, with their units.
        var parameters = RealResults.Instance.Estimates.Single(e => e.Metric == "parameters" && e.Version == RealResults.Model);
        var flops = RealResults.Instance.Estimates.Single(e => e.Metric == "flops_per_action" && e.Version == RealResults.Model);
        Assert.Contains(Format.Value(parameters.Value, parameters.Unit), html);
        Assert.EndsWith(" parameters", Format.Value(parameters.Value, parameters.Unit));
        Assert.EndsWith(" FLOPs", Format.Value(flops.Value, flops.Unit));
        Assert.Contains("lava_<wbr>entry_<wbr>rate <span class=\"dir\">↓</span>", html);
        Assert.Contains("success_<wbr>rate <span class=\"dir\">↑</span>", html);
        Assert.Contains("title=\"share of episodes that entered lava or threw an object into it\"", html);
    }

    [Fact]
    public void The_report_lists_the_provenance_of_every_result_it_used()
    {
        var sources = RealResults.Instance.Inputs.Metadata!.Results;
        Assert.Equal(RealResults.Instance.Suites.Count * 3, sources.Count);
        string checkpoint = ModelVersions.Find(RealResults.Model, RealResults.Instance.RegistryRoot).CheckpointSha256!;
        Assert.All(sources.Where(s => s.Policy == RealResults.Model), s => Assert.Equal(checkpoint, s.Provenance.CheckpointSha256));
        Assert.All(sources.Where(s => s.Policy != RealResults.Model), s => Assert.Equal("", s.Provenance.CheckpointSha256));
        string html = ReportWriter.Html(Model());
        Assert.Contains("<h3>Results used</h3>", html);
        Assert.Contains(checkpoint[..16], html);
        Assert.Contains(RealResults.Instance.Suites[0].Sha256[..16], html);
    }

    [Fact]
    public void Strings_from_data_are_escaped_and_no_script_from_data_exists()
    {
        string evil = "<script>alert(1)</script>";
        var real = RealResults.Instance.Inputs;
        var model = ReportBuilder.Build(real with
        {
            Title = "Report " + evil,
            Subtitle = "mission: " + evil,
            BaselineName = evil,
            CandidateName = "agent@2\"><img src=x onerror=alert(2)>",
            Estimates = real.Estimates.Take(3).Select(e => e with { Version = "v" + evil, Suite = "suite" + evil, Task = "go to the " + evil }).ToList(),
            Comparisons = real.Comparisons.Take(2).Select(c => c with { Suite = "suite" + evil, Task = evil, Test = evil, Method = evil }).ToList(),
            Gates = [new(evil, false, evil)],
            Confusions = [],
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
        Assert.StartsWith("## Nightly\n\n**REGRESSED:", md);
        Assert.Contains("### Regressions and failed gates", md);
        Assert.Matches(@"\| quickstart \| goto-red-ball-grey \| success\\_rate ↑ \| 100\.0% \| \d+\.\d% \| −\d+\.\d pts \\\[−\d+\.\d, −\d+\.\d\\\] \| [<0-9.]+ \| \*\*worse\*\* \|", md);
        Assert.Contains("### Suite harmful-instructions", md);
        Assert.Contains("- git commit: abc1234", md);
        Assert.Contains("- results agent@v1 on quickstart: checkpoint ", md);
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
