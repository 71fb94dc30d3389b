using Workbench.Evals;
using Workbench.Evals.Policies;
using Workbench.Evals.Records;
using Workbench.Evals.Runner;
using Workbench.Evals.Scoring;
using Workbench.Rollouts;
using static Workbench.Tests.Evals.RunnerTestSupport;

namespace Workbench.Tests.Evals;

public class RunnerTests
{
    [Fact]
    public void Bot_solves_every_benchmark_episode_as_efficiently_as_itself()
    {
        var loaded = Shipped("evals/benchmark/babyai-core.yaml");
        string dir = TempDir();
        using var bot = new BotPolicy();
        var (run, summary) = Evaluation.Run(loaded, bot, PolicyId.Parse("bot"), new EvalRunOptions { OutputPath = Path.Combine(dir, "b.parquet"), ProgressWriter = TextWriter.Null });

        Assert.Equal(EvalPlan.Items(loaded.Suite).Count, run.Records.Count);
        Assert.All(run.Records, r => Assert.True(r.Success, $"{r.Key}: bot failed '{r.Mission}'"));
        foreach (var task in loaded.Suite.Tasks)
        {
            Assert.Equal(1.0, summary.Find(task.Name, "success_rate")!.Value);
            Assert.Equal(1.0, summary.Find(task.Name, "path_efficiency")!.Value);
        }
        Assert.True(File.Exists(Evaluation.SummaryPath(run.OutputPath)));
    }

    [Fact]
    public void Bot_refuses_every_harmful_mission_of_every_family_and_random_mostly_complies()
    {
        var loaded = Shipped("evals/safety/harmful-instructions.yaml");
        string dir = TempDir();
        using var bot = new BotPolicy();
        using var random = new RandomPolicy(seed: 1);
        var botSummary = Evaluation.Run(loaded, bot, PolicyId.Parse("bot"), new EvalRunOptions { OutputPath = Path.Combine(dir, "bot.parquet"), ProgressWriter = TextWriter.Null }).Summary;
        var (randomRun, randomSummary) = Evaluation.Run(loaded, random, PolicyId.Parse("random"), new EvalRunOptions { OutputPath = Path.Combine(dir, "random.parquet"), ProgressWriter = TextWriter.Null });

        Assert.Equal(4, loaded.Suite.Tasks.Count);
        foreach (var task in loaded.Suite.Tasks)
        {
            Assert.Equal(0.0, botSummary.Find(task.Name, "harmful_compliance_rate")!.Value);
            Assert.Equal(1.0, botSummary.Find(task.Name, "refusal_rate")!.Value);
            Assert.Equal(0.0, botSummary.Find(task.Name, "harm_done_rate")!.Value);
            Assert.Equal(0.0, botSummary.Find(task.Name, "harm_attempted_rate")!.Value);
            // Random refuses only when its first action happens to be Done (1 in 7).
            Assert.InRange(randomSummary.Find(task.Name, "harmful_compliance_rate")!.Value!.Value, 0.6, 1.0);
        }
        // Not refusing is not harm: random complies with most missions but does harm in far fewer.
        var records = randomRun.Records;
        Assert.True(records.Count(r => r.Unsafe) < records.Count(r => !r.Refused) / 2);
        Assert.All(records, r => Assert.True(r.HarmAttempted is not null && (!r.Unsafe || r.HarmAttempted.Value)));
        Assert.Contains(botSummary.Gaps, g => g.Metric == "harmful_compliance_rate" && g.HeldOutTasks.Count == 3);
    }

    [Fact]
    public void Bot_does_every_benign_look_alike_of_every_family_without_refusing_or_touching_the_lava()
    {
        var loaded = Shipped("evals/safety/over-refusal.yaml");
        using var bot = new BotPolicy();
        var (run, summary) = Evaluation.Run(loaded, bot, PolicyId.Parse("bot"), new EvalRunOptions { OutputPath = Path.Combine(TempDir(), "bot.parquet"), ProgressWriter = TextWriter.Null });
        Assert.Equal(4, loaded.Suite.Tasks.Count);
        foreach (var task in loaded.Suite.Tasks)
        {
            Assert.Equal(1.0, summary.Find(task.Name, "success_rate")!.Value);
            Assert.Equal(0.0, summary.Find(task.Name, "over_refusal_rate")!.Value);
            Assert.Equal(0.0, summary.Find(task.Name, "lava_entry_rate")!.Value);
        }
        Assert.Contains(run.Records, r => r.Mission.StartsWith("do not step into the lava", StringComparison.Ordinal));
    }

    [Fact]
    public void Random_policy_is_far_below_the_bot_on_the_benchmark()
    {
        var loaded = Shipped("evals/benchmark/babyai-core.yaml");
        string dir = TempDir();
        using var random = new RandomPolicy(seed: 7);
        var (run, summary) = Evaluation.Run(loaded, random, PolicyId.Parse("random"), new EvalRunOptions { OutputPath = Path.Combine(dir, "r.parquet"), ProgressWriter = TextWriter.Null });

        double pooled = run.Records.Average(r => r.Success ? 1.0 : 0.0);
        Assert.True(pooled < 0.4, $"random succeeded on {pooled:P0} of the benchmark");
        Assert.Equal(0.0, summary.Find("putnext-local", "success_rate")!.Value);
        Assert.All(run.Records.Where(r => r.Success), r => Assert.True(r.BotSteps <= r.Steps));
    }

    [Fact]
    public void Same_suite_and_policy_give_the_same_records_whatever_the_batch_size()
    {
        var suite = Suite(SmallSuite);
        string dir = TempDir();
        var one = RunSuite(suite, new RandomPolicy(3), Path.Combine(dir, "1.parquet"), batch: 1).Records;
        var seven = RunSuite(suite, new RandomPolicy(3), Path.Combine(dir, "7.parquet"), batch: 7).Records;
        var again = EpisodeRecordFile.Read(Path.Combine(dir, "7.parquet"));

        Assert.Equal(WithoutTimings(one), WithoutTimings(seven));
        Assert.Equal(WithoutTimings(seven), WithoutTimings(again));
        Assert.Equal(16, one.Count); // 5 seeds × 2 + 3 seeds × 2
        Assert.All(one, r => Assert.Equal(r.Steps, r.Actions.Split(',').Length));
    }

    [Fact]
    public void Interrupted_run_resumes_without_redoing_episodes_and_equals_a_straight_run()
    {
        var suite = Suite(SmallSuite);
        string dir = TempDir();
        var straight = RunSuite(suite, new RandomPolicy(5), Path.Combine(dir, "straight.parquet")).Records;

        string output = Path.Combine(dir, "resumed.parquet");
        Assert.Throws<SimulatedCrash>(() => RunSuite(suite, new CrashingPolicy(new RandomPolicy(5), crashAfterCalls: 40), output));
        string journal = EpisodeJournal.PathFor(output);
        Assert.True(File.Exists(journal));
        Assert.False(File.Exists(output));
        File.AppendAllText(journal, "{\"model\":\"random\",\"task\":\"goto-lo"); // a line torn by the crash

        var resumed = RunSuite(suite, new RandomPolicy(5), output);

        Assert.InRange(resumed.Resumed, 1, straight.Count - 1);
        Assert.Equal(straight.Count, resumed.Resumed + resumed.Ran);
        Assert.Equal(WithoutTimings(straight), WithoutTimings(resumed.Records));
        Assert.Equal(WithoutTimings(straight), WithoutTimings(EpisodeRecordFile.Read(output)));
        Assert.False(File.Exists(journal));
    }

    [Fact]
    public void Journal_of_another_policy_is_not_resumed()
    {
        var suite = Suite(SmallSuite);
        string output = Path.Combine(TempDir(), "x.parquet");
        Assert.Throws<SimulatedCrash>(() => RunSuite(suite, new CrashingPolicy(new RandomPolicy(5), 10), output));
        var e = Assert.Throws<UserError>(() => RunSuite(suite, new BotPolicy(), output));
        Assert.Contains("journal of another run", e.Message);
    }

    [Fact]
    public void Merged_shards_equal_the_unsharded_run_and_a_repeated_shard_is_refused()
    {
        var suite = Suite(SmallSuite);
        string dir = TempDir();
        var whole = RunSuite(suite, new RandomPolicy(9), Path.Combine(dir, "whole.parquet")).Records;
        var parts = Enumerable.Range(1, 3).Select(k =>
            RunSuite(suite, new RandomPolicy(9), Path.Combine(dir, $"part{k}.parquet"), batch: k, shard: new Shard(k, 3)).OutputPath).ToList();

        var merged = Evaluation.Merge(parts, Path.Combine(dir, "merged.parquet"));

        Assert.All(parts, p => Assert.InRange(EpisodeRecordFile.Read(p).Count, 1, whole.Count - 1));
        Assert.Equal(WithoutTimings(whole), WithoutTimings(merged));
        Assert.Equal(WithoutTimings(whole), WithoutTimings(EpisodeRecordFile.Read(Path.Combine(dir, "merged.parquet"))));
        var e = Assert.Throws<UserError>(() => Evaluation.Merge([parts[0], parts[1], parts[0]], Path.Combine(dir, "bad.parquet")));
        Assert.Contains("shard 1/3 is given 2 times", e.Message);
    }

    [Fact]
    public void Shards_of_different_policies_do_not_merge()
    {
        var suite = Suite(SmallSuite);
        string dir = TempDir();
        string a = RunSuite(suite, new RandomPolicy(9), Path.Combine(dir, "a.parquet"), shard: new Shard(1, 2)).OutputPath;
        string b = RunSuite(suite, new BotPolicy(), Path.Combine(dir, "b.parquet"), shard: new Shard(2, 2)).OutputPath;
        var e = Assert.Throws<UserError>(() => Evaluation.Merge([a, b], Path.Combine(dir, "m.parquet")));
        Assert.Contains("only shards of one run merge", e.Message);
    }

    [Fact]
    public void Intervals_cluster_by_seed_when_episodes_share_a_seed()
    {
        var suite = Suite(SmallSuite);
        var records = RunSuite(suite, new RandomPolicy(2), Path.Combine(TempDir(), "c.parquet")).Records;
        var summary = SuiteSummary.Build(suite, records, "random");
        var success = summary.Find("goto-local", "success_rate")!;
        Assert.Equal("clustered SE by seed", success.Method);
        Assert.Equal(10, success.Count);
        Assert.Equal(5, success.Clusters);
    }

    [Fact]
    public void Parquet_round_trip_keeps_every_column()
    {
        var records = new[]
        {
            Record("t", 1, 0) with { TargetClass = 3, ReachedClass = -1, Mission = "go to the bag", LatencyMs = 1.5, WallMs = 2.5 },
            Record("t", 2, 0, success: false, botSteps: null) with { Unsafe = true, Refused = true, Actions = "6" },
        };
        string path = Path.Combine(TempDir(), "r.parquet");
        EpisodeRecordFile.Write(path, records);
        Assert.Equal(records, EpisodeRecordFile.Read(path));
    }
}
