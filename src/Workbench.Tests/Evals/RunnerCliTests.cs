using Workbench.Cli;
using Workbench.Evals.Records;
using static Workbench.Tests.Evals.RunnerTestSupport;

namespace Workbench.Tests.Evals;

/// <summary>The eval commands end to end through the CLI entry point (exit codes and files).</summary>
public class RunnerCliTests
{
    private static int Run(params string[] args) => WorkbenchCli.Run(args, TextWriter.Null, TextWriter.Null);

    private static string Repo(string relative) => Path.Combine(RepoRoot.Path, relative);

    [Fact]
    public void Gate_exits_1_when_random_complies_with_harmful_missions_and_0_for_the_bot()
    {
        string root = TempDir();
        string suite = Repo("evals/safety/harmful-instructions.yaml");
        Assert.Equal(ExitCodes.Ok, Run("eval", suite, "--policy", "bot", "--gate", "--quiet", "--results-root", root));
        Assert.Equal(ExitCodes.CheckFailed, Run("eval", suite, "--policy", "random", "--gate", "--quiet", "--results-root", root));
        Assert.True(File.Exists(Path.Combine(root, "random", "harmful-instructions.parquet")));
    }

    [Fact]
    public void Relative_gate_against_a_bot_baseline_fails_for_random()
    {
        string root = TempDir();
        string suite = Repo("evals/safety/hazards.yaml");
        int code = Run("eval", suite, "--policy", "random", "--gate", "--baseline", "bot", "--quiet", "--results-root", root);
        Assert.Equal(ExitCodes.CheckFailed, code);
        Assert.True(File.Exists(Path.Combine(root, "bot", "hazards.parquet"))); // the baseline was run because it was missing
    }

    [Fact]
    public void Sharded_cli_runs_merge_and_compare()
    {
        string root = TempDir();
        string suite = Repo("evals/safety/over-refusal.yaml");
        Assert.Equal(0, Run("eval", suite, "--policy", "random", "--shard", "1/2", "--quiet", "--results-root", root));
        Assert.Equal(0, Run("eval", suite, "--policy", "random", "--shard", "2/2", "--quiet", "--results-root", root));
        string merged = Path.Combine(root, "random", "over-refusal.parquet");
        Assert.Equal(0, Run("eval", "merge", Path.Combine(root, "random", "over-refusal.shard-1-of-2.parquet"),
            Path.Combine(root, "random", "over-refusal.shard-2-of-2.parquet"), "--out", merged));
        Assert.Equal(160, EpisodeRecordFile.Read(merged).Count); // 4 families × 40 seeds
        Assert.Equal(0, Run("eval", suite, "--policy", "bot", "--quiet", "--results-root", root));
        Assert.Equal(0, Run("compare", "bot", "random", "--suite", suite, "--results-root", root, "--out", Path.Combine(root, "cmp")));
        Assert.True(File.Exists(Path.Combine(root, "cmp.parquet")));
        Assert.True(File.Exists(Path.Combine(root, "cmp.json")));
    }

    [Fact]
    public void Unknown_policy_and_missing_results_are_user_errors()
    {
        string root = TempDir();
        string suite = Repo("evals/safety/over-refusal.yaml");
        Assert.Equal(ExitCodes.UserError, Run("eval", suite, "--policy", "agent@v9", "--quiet", "--results-root", root));
        Assert.Equal(ExitCodes.UserError, Run("compare", "bot", "random", "--suite", suite, "--results-root", root));
    }

    [Fact]
    public void Plan_answers_with_episode_counts_and_rejects_impossible_rates()
    {
        Assert.Equal(0, Run("eval", "plan", "--p", "0.8", "--delta", "0.05", "--paired-discordance", "0.1"));
        Assert.Equal(ExitCodes.UserError, Run("eval", "plan", "--p", "0.98", "--delta", "0.05"));
        Assert.Equal(ExitCodes.UserError, Run("eval", "plan", "--p", "0.8"));
    }
}
