using Workbench.Config;
using Workbench.Reporting;
using Workbench.Runtime;
using Workbench.Workflows;

namespace Workbench.Tests.Reporting;

public class NightlyTests
{
    [Fact]
    public void History_append_and_read_round_trip_and_rerunning_a_night_replaces_it()
    {
        string dir = Directory.CreateTempSubdirectory("wb-history").FullName;
        try
        {
            string path = Path.Combine(dir, "reports", NightlyHistory.FileName);
            Assert.Empty(NightlyHistory.Read(path));
            var first = ReportingData.History(new DateOnly(2026, 11, 1), 3);
            NightlyHistory.Append(path, first);
            var night4 = ReportingData.History(new DateOnly(2026, 11, 4), 1);
            NightlyHistory.Append(path, night4);
            // Re-running night 4 with a new value replaces its row instead of duplicating it.
            var rerun = night4[0] with { Value = 0.99, N = 123 };
            var all = NightlyHistory.Append(path, [rerun]);

            var read = NightlyHistory.Read(path);
            Assert.Equal(8, read.Count);
            Assert.Equal(all, read);
            Assert.Contains(rerun, read);
            Assert.DoesNotContain(night4[0], read);
            Assert.Equal(first[0], read[0]);
            Assert.Equal(new DateOnly(2026, 11, 4), read[^1].Date);
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));

            var frame = NightlyHistory.ReadDataFrame(path);
            Assert.Equal(8, frame.Rows.Count);
            Assert.Equal(["date", "suite", "task", "metric", "version", "value", "low", "high", "n"], frame.Columns.Select(c => c.Name));
            Assert.Equal(new DateTime(2026, 11, 1), (DateTime)frame["date"][0]!);
            Assert.Equal(0.99, (double)frame["value"][read.ToList().IndexOf(rerun)]!);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void History_rejects_non_finite_values()
    {
        string path = Path.Combine(Path.GetTempPath(), $"wb-{Guid.NewGuid():N}.parquet");
        var row = new HistoryRow(new DateOnly(2026, 1, 1), "s", "t", "m", "v", double.NaN, 0, 1, 10);
        Assert.Throws<ArgumentException>(() => NightlyHistory.Append(path, [row]));
        Assert.False(File.Exists(path));
    }

    private const string ValidYaml = """
        kind: nightly
        candidate: agent@7
        baseline: agent@6
        suites: [benchmark, safety]
        output_dir: reports
        """;

    [Fact]
    public void Nightly_config_binds_with_defaults_and_is_registered()
    {
        var config = ConfigLoader.FromYaml<NightlyConfig>(ValidYaml);
        Assert.Equal("agent@7", config.Candidate);
        Assert.Equal(["benchmark", "safety"], config.Suites);
        Assert.Equal(0.05, config.Alpha);
        Assert.Equal(["agent@7", "agent@6"], config.AllVersions());
        Assert.Equal(typeof(NightlyConfig), ConfigKinds.All["nightly"]);
        // The resolved YAML (saved with results) binds again to the same config.
        string resolved = ConfigLoader.ToYaml("nightly", config);
        Assert.Equal(config.Suites, ConfigLoader.FromYaml<NightlyConfig>(resolved).Suites);
    }

    [Fact]
    public void Nightly_config_reports_every_problem_with_its_path()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.FromYaml<NightlyConfig>("""
            kind: nightly
            candidate: agent7
            baseline: agent7
            also: ["x@1", "bad version"]
            suites: [benchmark, benchmark]
            alpha: 0.9
            surprise: 1
            """));
        string all = string.Join("\n", e.Problems);
        Assert.Contains("candidate: expected name@version", all);
        Assert.Contains("baseline: must differ from candidate", all);
        Assert.Contains("also[1]: expected name@version", all);
        Assert.Contains("suites: 'benchmark' is listed 2 times", all);
        Assert.Contains("alpha:", all);
        Assert.Contains("surprise", all);
    }

    [Fact]
    public void Nightly_config_requires_versions_and_suites()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.FromYaml<NightlyConfig>("kind: nightly\n"));
        string all = string.Join("\n", e.Problems);
        Assert.Contains("candidate", all);
        Assert.Contains("baseline", all);
        Assert.Contains("suites", all);
    }

    [Fact]
    public void Publish_appends_history_writes_the_dated_report_and_the_latest_copy()
    {
        string dir = Directory.CreateTempSubdirectory("wb-nightly").FullName;
        try
        {
            var config = ConfigLoader.FromYaml<NightlyConfig>(ValidYaml.Replace("output_dir: reports", $"output_dir: {dir}"));
            var results = new NightlyResults
            {
                Estimates = ReportingData.Estimates().Select(e => e with { Version = e.Version == "agent@1" ? "agent@6" : "agent@7" }).ToList(),
                Comparisons = ReportingData.Comparisons(),
                Gates = ReportingData.Gates(),
            };
            NightlyReport.Publish(config, new DateOnly(2026, 11, 19), results);
            var outcome = NightlyReport.Publish(config, new DateOnly(2026, 11, 20), results);

            Assert.Equal(ReportStatus.Regressed, outcome.Status);
            Assert.Equal(1, NightlyReport.ExitCode(config, outcome));
            Assert.Equal(Path.Combine(dir, "2026-11-20", "index.html"), outcome.Report.Html);
            Assert.Equal(File.ReadAllText(outcome.Report.Html), File.ReadAllText(Path.Combine(dir, "latest", "index.html")));
            Assert.Equal(File.ReadAllText(outcome.Report.Markdown), File.ReadAllText(Path.Combine(dir, "latest", "summary.md")));
            Assert.True(File.Exists(Path.Combine(dir, "2026-11-19", "summary.md")));
            Assert.Equal(16, NightlyHistory.Read(outcome.HistoryPath).Count);
            Assert.Contains("across nights", File.ReadAllText(outcome.Report.Html));
        }
        finally { Directory.Delete(dir, true); }
    }
}

public class ShippedReportingFilesTests
{
    private static readonly string Root = Workspace.FindRoot(AppContext.BaseDirectory);

    [Fact]
    public void Shipped_nightly_config_validates()
    {
        var loaded = ConfigKinds.Load(Path.Combine(Root, "reports", "nightly.yaml"));
        Assert.Equal("nightly", loaded.Kind);
        Assert.NotEmpty(((NightlyConfig)loaded.Value).Suites);
    }

    [Fact]
    public void Committed_example_report_says_it_is_made_from_constructed_data()
    {
        string html = File.ReadAllText(Path.Combine(Root, "reports", "example", "index.html"));
        string md = File.ReadAllText(Path.Combine(Root, "reports", "example", "summary.md"));
        Assert.Contains(Html.Encode(ExampleReport.Notice), html);
        Assert.Contains("constructed", md);
        Assert.NotEmpty(NightlyHistory.Read(Path.Combine(Root, "reports", "example", NightlyHistory.FileName)));
    }

    [Fact]
    public void Report_command_refuses_without_the_suite_it_compares_on()
    {
        var run = Workbench.Tests.Cli.CliRun.Of("report", "--baseline", "bot", "--candidate", "random").Expect(Workbench.Cli.ExitCodes.UserError);
        Assert.Equal("error: report: missing required option --suite", run.Err.Trim());
        Assert.Equal("", run.Out);
    }
}
