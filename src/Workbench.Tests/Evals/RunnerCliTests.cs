using Workbench.Cli;
using Workbench.Tests.Cli;
using Workbench.Evals.Records;
using static Workbench.Tests.Evals.RunnerTestSupport;

namespace Workbench.Tests.Evals;

/// <summary>The eval commands end to end through the CLI entry point: exit codes, files, and what they print.</summary>
public class RunnerCliTests
{
    private static string Repo(string relative) => Path.Combine(RepoRoot.Path, relative);

    [Fact]
    public void Gate_exits_1_when_random_complies_with_harmful_missions_and_0_for_the_bot()
    {
        string root = TempDir();
        string suite = Repo("evals/safety/harmful-instructions.yaml");
        var bot = CliRun.Of("eval", suite, "--policy", "bot", "--gate", "--quiet", "--results-root", root).Expect(ExitCodes.Ok);
        Assert.Contains("PASS ", bot.Out);
        Assert.Contains("gates: all 1 passed", bot.Out);
        Assert.Equal("", bot.Err); // --quiet: no progress bar

        var random = CliRun.Of("eval", suite, "--policy", "random", "--gate", "--quiet", "--results-root", root).Expect(ExitCodes.CheckFailed);
        Assert.Contains("FAIL ", random.Out);
        Assert.Contains("gates: 1 of 1 FAILED", random.Out);
        string results = Path.Combine(root, "random", "harmful-instructions.parquet");
        Assert.True(File.Exists(results));
        Assert.Contains($"→ {results}", random.Out);
    }

    [Fact]
    public void Relative_gate_against_a_bot_baseline_fails_for_random()
    {
        string root = TempDir();
        string suite = Repo("evals/safety/hazards.yaml");
        var run = CliRun.Of("eval", suite, "--policy", "random", "--gate", "--baseline", "bot", "--quiet", "--results-root", root).Expect(ExitCodes.CheckFailed);
        string baseline = Path.Combine(root, "bot", "hazards.parquet");
        Assert.True(File.Exists(baseline)); // the baseline was run because it was missing, and said so
        Assert.Contains($"baseline bot: no results for suite hazards v", run.Err);
        Assert.Contains($"at {baseline}; running it", run.Err);
        Assert.Contains("FAIL ", run.Out);

        // The second time the stored baseline is used as it is.
        var again = CliRun.Of("eval", suite, "--policy", "random", "--gate", "--baseline", "bot", "--quiet", "--results-root", root).Expect(ExitCodes.CheckFailed);
        Assert.DoesNotContain("running it", again.Err);
    }

    [Fact]
    public void Sharded_cli_runs_merge_and_compare()
    {
        string root = TempDir();
        string suite = Repo("evals/safety/over-refusal.yaml");
        var first = CliRun.Of("eval", suite, "--policy", "random", "--shard", "1/2", "--quiet", "--results-root", root).Expect(ExitCodes.Ok);
        Assert.Contains("20 episodes (20 run, 0 resumed)", first.Out);
        CliRun.Of("eval", suite, "--policy", "random", "--shard", "2/2", "--quiet", "--results-root", root).Expect(ExitCodes.Ok);
        string merged = Path.Combine(root, "random", "over-refusal.parquet");
        var merge = CliRun.Of("eval", "merge", Path.Combine(root, "random", "over-refusal.shard-1-of-2.parquet"),
            Path.Combine(root, "random", "over-refusal.shard-2-of-2.parquet"), "--out", merged).Expect(ExitCodes.Ok);
        Assert.Equal($"40 episodes from 2 files → {merged}", merge.Out.Trim());
        Assert.Equal(40, EpisodeRecordFile.Read(merged).Count);
        CliRun.Of("eval", suite, "--policy", "bot", "--quiet", "--results-root", root).Expect(ExitCodes.Ok);
        string prefix = Path.Combine(root, "cmp");
        var compare = CliRun.Of("compare", "bot", "random", "--suite", suite, "--results-root", root, "--out", prefix).Expect(ExitCodes.Ok);
        Assert.Contains("success_rate", compare.Out);
        Assert.Contains($"→ {prefix}.parquet, {prefix}.json", compare.Out);
        Assert.True(File.Exists(prefix + ".parquet"));
        Assert.True(File.Exists(prefix + ".json"));
    }

    [Fact]
    public void Unknown_policy_and_missing_results_are_user_errors()
    {
        string root = TempDir();
        string suite = Repo("evals/safety/over-refusal.yaml");
        Assert.Contains("model 'agent@v9' is not registered", CliRun.Of("eval", suite, "--policy", "agent@v9", "--quiet", "--results-root", root).Expect(ExitCodes.UserError).Err);
        Assert.Contains("no results for bot on suite over-refusal",
            CliRun.Of("compare", "bot", "random", "--suite", suite, "--results-root", root).Expect(ExitCodes.UserError).Err);
    }

    [Fact]
    public void Plan_answers_with_episode_counts_and_rejects_impossible_rates()
    {
        var plan = CliRun.Of("eval", "plan", "--p", "0.8", "--delta", "0.05", "--paired-discordance", "0.1").Expect(ExitCodes.Ok);
        Assert.StartsWith("detect 0.8 → 0.85 (Δ = +0.05) with power 0.8 at α = 0.05 (two-sided):", plan.Out);
        Assert.Matches(@"independent runs: \d+ episodes per version", plan.Out);
        Assert.Matches(@"paired \(same episodes, McNemar, discordance 0.1\): \d+ episodes", plan.Out);
        Assert.Contains("eval plan:", CliRun.Of("eval", "plan", "--p", "0.98", "--delta", "0.05").Expect(ExitCodes.UserError).Err);
        Assert.Contains("give --p RATE and --delta", CliRun.Of("eval", "plan", "--p", "0.8").Expect(ExitCodes.UserError).Err);
    }
}
