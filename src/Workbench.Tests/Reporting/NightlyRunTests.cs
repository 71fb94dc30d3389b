using Workbench.Cli;
using Workbench.Tests.Cli;
using Workbench.Reporting;
using Workbench.Workflows;

namespace Workbench.Tests.Reporting;

/// <summary>
/// A real night: the suite is evaluated for both policies, compared episode by episode, gated, appended to the
/// history and published. Random against the bot must come out as a regression (exit 1) with its numbers.
/// </summary>
public class NightlyRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wb-nightly-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteConfig(string candidate, string baseline)
    {
        string path = Path.Combine(_dir, "nightly.yaml");
        File.WriteAllText(path, $"""
            kind: nightly
            title: Test night
            candidate: {candidate}
            baseline: {baseline}
            suites: ["{Path.Combine(RepoRoot.Path, "evals", "benchmark", "quickstart.yaml")}"]
            output_dir: "{Path.Combine(_dir, "reports")}"
            """);
        return path;
    }

    [Fact]
    public void A_worse_candidate_fails_the_night_and_the_report_says_why()
    {
        var config = Workbench.Config.ConfigLoader.Load<NightlyConfig>(WriteConfig("random", "bot"));
        var night = new DateOnly(2026, 11, 21);
        var outcome = NightlyRun.Run(config, night, resultsRoot: Path.Combine(_dir, "evals-out"));

        Assert.Equal(ReportStatus.Regressed, outcome.Status);
        Assert.Equal(1, NightlyReport.ExitCode(config, outcome));
        Assert.Contains("success_rate", outcome.VerdictLine);
        string html = File.ReadAllText(Path.Combine(_dir, "reports", "2026-11-21", "index.html"));
        Assert.Contains("random", html);
        Assert.Equal(html, File.ReadAllText(Path.Combine(_dir, "reports", "latest", "index.html")));
        Assert.True(File.Exists(Path.Combine(_dir, "reports", "2026-11-21", "summary.md")));

        // A second night appends to the history instead of replacing it.
        var second = NightlyRun.Run(config, night.AddDays(1), resultsRoot: Path.Combine(_dir, "evals-out"));
        Assert.Equal(2 * outcome.HistoryRows, second.HistoryRows);
        var nights = NightlyHistory.Read(second.HistoryPath).Select(r => r.Date).Distinct().Order().ToList();
        Assert.Equal([night, night.AddDays(1)], nights);
    }

    [Fact]
    public void The_nightly_command_exits_1_on_regression_and_0_when_the_candidate_holds_up()
    {
        var regressed = CliRun.Of("nightly", WriteConfig("random", "bot"), "--date", "2026-11-21", "--results", Path.Combine(_dir, "evals-out"))
            .Expect(ExitCodes.CheckFailed);
        Assert.Contains("REGRESSED", File.ReadAllText(Path.Combine(_dir, "reports", "2026-11-21", "summary.md")));
        Assert.Contains($"report:  {Path.Combine(_dir, "reports", "2026-11-21", "index.html")}", regressed.Out);
        Assert.Contains($"history: ", regressed.Out);

        // Swapped roles: the candidate (bot) is better than the baseline — an improvement, not a regression.
        var held = CliRun.Of("nightly", WriteConfig("bot", "random"), "--date", "2026-11-22", "--results", Path.Combine(_dir, "evals-out"))
            .Expect(ExitCodes.Ok);
        Assert.Contains($"latest:  {Path.Combine(_dir, "reports", "latest", "index.html")}", held.Out);
    }
}
