using Workbench.Cli;
using Workbench.Evals;
using Workbench.Rollouts;
using Workbench.Tests.Cli;
using Workbench.Evals.Records;
using Workbench.Evals.Runner;
using static Workbench.Tests.Evals.RunnerTestSupport;

namespace Workbench.Tests.Evals;

/// <summary><c>eval merge</c> knows which shard each file holds and refuses an incomplete or doubled set.</summary>
public class ShardMergeTests
{
    private static List<string> Shards(string dir, int count, string policySeed = "9") =>
        Enumerable.Range(1, count).Select(k => RunSuite(Suite(SmallSuite), new RandomPolicy(ulong.Parse(policySeed)), Path.Combine(dir, $"part{k}.parquet"),
            shard: new Shard(k, count)).OutputPath).ToList();

    [Fact]
    public void Two_of_three_shards_are_refused_naming_the_missing_one()
    {
        string dir = TempDir();
        var parts = Shards(dir, 3);
        var e = Assert.Throws<UserError>(() => Evaluation.Merge([parts[0], parts[1]], Path.Combine(dir, "m.parquet")));
        Assert.Contains("shard 3/3 missing", e.Message);
        Assert.False(File.Exists(Path.Combine(dir, "m.parquet")));
    }

    [Fact]
    public void A_shard_given_twice_is_refused()
    {
        string dir = TempDir();
        var parts = Shards(dir, 2);
        string copy = Path.Combine(dir, "copy.parquet");
        File.Copy(parts[0], copy);
        var e = Assert.Throws<UserError>(() => Evaluation.Merge([parts[0], copy, parts[1]], Path.Combine(dir, "m.parquet")));
        Assert.Contains("shard 1/2 is given 2 times", e.Message);
    }

    [Fact]
    public void Shards_of_different_splits_are_refused()
    {
        string dir = TempDir();
        var halves = Shards(Path.Combine(dir, "a"), 2);
        var thirds = Shards(Path.Combine(dir, "b"), 3);
        var e = Assert.Throws<UserError>(() => Evaluation.Merge([halves[0], thirds[1], thirds[2]], Path.Combine(dir, "m.parquet")));
        Assert.Contains("different splits", e.Message);
    }

    [Fact]
    public void The_merged_file_is_marked_whole_and_can_be_checked_against_the_suite()
    {
        string dir = TempDir();
        var parts = Shards(dir, 3);
        string merged = Path.Combine(dir, "merged.parquet");
        var records = Evaluation.Merge(parts, merged, Loaded(Suite(SmallSuite)));
        Assert.Equal(EvalPlan.Items(Suite(SmallSuite)).Count, records.Count);
        Assert.Equal(new ResultFileInfo("1/1", "test-sha", "random"), EpisodeRecordFile.ReadInfo(merged));
        Assert.True(File.Exists(Path.Combine(dir, "merged.summary.json")));

        // The same files checked against a different suite content (what another --set would give) are refused.
        var other = Loaded(Suite(SmallSuite)) with { Sha256 = "other-sha" };
        var e = Assert.Throws<UserError>(() => Evaluation.Merge(parts, Path.Combine(dir, "m2.parquet"), other));
        Assert.Contains("other suite content", e.Message);
    }

    [Fact]
    public void Files_without_shard_metadata_fall_back_to_their_name_or_are_refused()
    {
        string dir = TempDir();
        var parts = Shards(dir, 2);
        string named = Path.Combine(dir, "s.shard-1-of-2.parquet"), anonymous = Path.Combine(dir, "whatever.parquet");
        EpisodeRecordFile.Write(named, EpisodeRecordFile.Read(parts[0]));        // as written before the metadata existed
        EpisodeRecordFile.Write(anonymous, EpisodeRecordFile.Read(parts[0]));
        Assert.Equal(EpisodeRecordFile.Read(parts[0]).Count + EpisodeRecordFile.Read(parts[1]).Count,
            Evaluation.Merge([named, parts[1]], Path.Combine(dir, "m.parquet")).Count);
        var e = Assert.Throws<UserError>(() => Evaluation.Merge([anonymous, parts[1]], Path.Combine(dir, "m.parquet")));
        Assert.Contains("cannot tell which shard", e.Message);
    }

    [Fact]
    public void The_cli_exits_2_and_names_the_missing_shard()
    {
        string root = TempDir();
        string suite = Path.Combine(RepoRoot.Path, "evals/safety/over-refusal.yaml");
        foreach (string k in new[] { "1", "2" })
            CliRun.Of("eval", suite, "--policy", "random", "--shard", $"{k}/3", "--quiet", "--results-root", root).Expect(ExitCodes.Ok);
        var merge = CliRun.Of("eval", "merge", Path.Combine(root, "random", "over-refusal.shard-1-of-3.parquet"),
            Path.Combine(root, "random", "over-refusal.shard-2-of-3.parquet"), "--out", Path.Combine(root, "merged.parquet")).Expect(ExitCodes.UserError);
        Assert.Contains("shard 3/3 missing", merge.Err);
        Assert.DoesNotContain("   at ", merge.Err);
        Assert.False(File.Exists(Path.Combine(root, "merged.parquet")));
    }
}
