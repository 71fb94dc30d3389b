using Workbench.Evals.Comparison;
using Workbench.Evals.Statistics;
using static Workbench.Tests.Evals.RunnerTestSupport;

namespace Workbench.Tests.Evals;

public class CompareEpisodesTests
{
    private const string SuiteYaml = """
        name: constructed
        version: 1
        tasks:
          - {name: nav, level: GoToLocal, seeds: {start: 0, count: 60}, scorers: [success, episode_length]}
          - {name: same, level: GoToLocal, seeds: {start: 0, count: 60}, scorers: [success]}
        """;

    private static List<Workbench.Evals.Records.EpisodeRecord> Version(string version, Func<long, bool> navSuccess, Func<long, int> navSteps, Func<long, bool> sameSuccess) =>
        Enumerable.Range(0, 60).SelectMany(s => new[]
        {
            Record("nav", s, 0, success: navSuccess(s), steps: navSteps(s), version: version),
            Record("same", s, 0, success: sameSuccess(s), version: version),
        }).ToList();

    [Fact]
    public void Paired_comparison_gives_worse_better_and_no_change_where_expected()
    {
        var suite = Suite(SuiteYaml);
        var a = Version("v1", s => true, s => 20, s => s % 3 != 0);
        // v2: fails a third of nav episodes (worse), but is much faster where it succeeds (better steps); "same" flips 2 episodes each way.
        var b = Version("v2", s => s % 3 != 0, s => s % 3 != 0 ? 8 : 64, s => (s % 3 != 0) ^ (s is 1 or 3 or 4 or 6));

        var report = EpisodeComparison.Compare(suite, a, b, "agent@v1", "agent@v2");

        var success = report.Rows.Single(r => r.Task == "nav" && r.Metric == "success_rate").Result!;
        Assert.Equal(Verdict.Worse, success.Verdict);
        Assert.Equal(-20.0 / 60, success.Difference, 9);
        Assert.True(success.High < 0);
        var same = report.Rows.Single(r => r.Task == "same").Result!;
        Assert.Equal(Verdict.NoSignificantChange, same.Verdict);
        Assert.True(same.AdjustedP >= same.PValue);
        Assert.Contains("agent@v2", report.Format());
    }

    [Fact]
    public void Fewer_steps_is_better()
    {
        var suite = Suite(SuiteYaml);
        var a = Version("v1", s => true, s => 30 + (int)(s % 5), s => true);
        var b = Version("v2", s => true, s => 12 + (int)(s % 7), s => true);
        var steps = EpisodeComparison.Compare(suite, a, b, "a", "b").Rows.Single(r => r.Metric == "mean_steps").Result!;
        Assert.Equal(Verdict.Better, steps.Verdict);
        Assert.True(steps.Difference < 0);
    }

    [Fact]
    public void Comparing_runs_of_different_episodes_is_refused()
    {
        var suite = Suite(SuiteYaml);
        var a = Version("v1", s => true, s => 20, s => true);
        var b = Version("v2", s => true, s => 20, s => true).Where(r => r.Seed != 5).ToList();
        var e = Assert.Throws<UserError>(() => EpisodeComparison.Compare(suite, a, b, "a", "b"));
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void Comparing_results_of_another_suite_version_is_refused()
    {
        var suite = Suite(SuiteYaml);
        var a = Version("v1", s => true, s => 20, s => true);
        var b = a.Select(r => r with { SuiteVersion = 2 }).ToList();
        var e = Assert.Throws<UserError>(() => EpisodeComparison.Compare(suite, a, b, "a", "b"));
        Assert.Contains("v2", e.Message);
    }

    [Fact]
    public void Comparison_is_written_as_parquet_and_json()
    {
        var suite = Suite(SuiteYaml);
        var a = Version("v1", s => true, s => 20, s => true);
        var b = Version("v2", s => s > 10, s => 20, s => true);
        var report = EpisodeComparison.Compare(suite, a, b, "a", "b");
        string dir = TempDir();
        report.WriteParquet(Path.Combine(dir, "c.parquet"));
        report.WriteJson(Path.Combine(dir, "c.json"));
        Assert.True(new FileInfo(Path.Combine(dir, "c.parquet")).Length > 0);
        Assert.Contains("\"verdict\": \"worse\"", File.ReadAllText(Path.Combine(dir, "c.json")));
    }
}
