using System.Diagnostics;
using System.Text.RegularExpressions;
using Workbench.Cli;
using Workbench.Tests.Cli;
using Workbench.Cluster;
using Workbench.Evals.Records;
using static Workbench.Tests.Evals.RunnerTestSupport;

namespace Workbench.Tests.Cluster;

/// <summary>
/// Eval arrays on a real Slurm (the CI's single-node cluster): the merged result of an N-task array equals the
/// single-process run's records (timings aside), and a task requeued through its USR2 trap resumes from its journal.
/// </summary>
[Collection("slurm")]
public class EvalArrayOnSlurmTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);
    private static string Suite => Path.Combine(RepoRoot.Path, "evals/benchmark/quickstart.yaml");

    private static SlurmOptions Options(string dir) => new() { Workbench = [Path.Combine(AppContext.BaseDirectory, "workbench")], WorkingDirectory = dir };

    private static IReadOnlyList<EpisodeRecord> SingleProcess(string dir, string policy, params string[] extra)
    {
        string root = Path.Combine(dir, "single");
        CliRun.Of(["eval", Suite, "--policy", policy, "--results-root", root, "--quiet", .. extra]).Expect(ExitCodes.Ok);
        return EpisodeRecordFile.Read(Path.Combine(root, policy, "quickstart.parquet"));
    }

    private static void WaitForBoth(SubmittedEvalArray submitted)
    {
        var client = new SlurmClient();
        var array = client.Wait(submitted.ArrayJobId!, Patience);
        Assert.True(array.Succeeded, array.Describe() + Logs(submitted));
        var merge = client.Wait(submitted.MergeJobId!, Patience);
        Assert.True(merge.Succeeded, merge.Describe() + Logs(submitted));
    }

    private static string Logs(SubmittedEvalArray submitted) =>
        string.Concat(Directory.GetFiles(Path.Combine(submitted.Folder, "logs")).Order().Select(f => $"\n--- {f}\n{File.ReadAllText(f)}"));

    [SlurmFact]
    public void Four_task_array_and_merge_give_the_single_process_records()
    {
        string dir = TestSupport.TempDir();
        var submitted = EvalArray.Submit(new EvalArrayRequest
        {
            Suite = Suite, Policy = "random", Shards = 4, ResultsRoot = Path.Combine(dir, "slurm"),
        }, Options(dir));
        WaitForBoth(submitted);

        var merged = EpisodeRecordFile.Read(submitted.Output);
        Assert.Equal(WithoutTimings(SingleProcess(dir, "random")), WithoutTimings(merged));
        Assert.Equal(new ResultFileInfo("1/1", EpisodeRecordFile.ReadInfo(submitted.ShardFiles[0])!.SuiteSha256, "random"), EpisodeRecordFile.ReadInfo(submitted.Output));
        Assert.All(submitted.ShardFiles, f => Assert.Equal(50, EpisodeRecordFile.Read(f).Count));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(submitted.Folder, "logs"), "*_*.out").Length);
        Assert.True(File.Exists(Path.ChangeExtension(submitted.Output, null) + ".summary.json"));
    }

    [SlurmFact]
    public void A_task_requeued_by_its_usr2_trap_resumes_from_its_journal()
    {
        string dir = TestSupport.TempDir();
        // 8,000 random-policy episodes in one task: a few seconds on an idle machine, so the signal lands while it runs.
        var submitted = EvalArray.Submit(new EvalArrayRequest
        {
            Suite = Suite, Policy = "random", Shards = 1, EpisodesPerSeed = 40, ResultsRoot = Path.Combine(dir, "slurm"),
        }, Options(dir));
        string journal = EpisodeJournal.PathFor(submitted.ShardFiles[0]);
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(journal) && File.ReadLines(journal).Count() > 200))
        {
            Assert.False(File.Exists(submitted.ShardFiles[0]), "the task finished before it could be signalled; make it longer");
            Assert.True(clock.Elapsed < Patience, "the task did not start" + Logs(submitted));
            Thread.Sleep(50);
        }
        // What Slurm does --signal seconds before the time limit: USR2 to the batch shell.
        using (var scancel = Process.Start("scancel", ["--batch", "--signal=USR2", $"{submitted.ArrayJobId}_0"])) scancel.WaitForExit();
        WaitForBoth(submitted);

        string log = File.ReadAllText(Directory.GetFiles(Path.Combine(submitted.Folder, "logs"), "*_0.out").Single());
        Assert.Contains("USR2 received, requeueing", log);
        Assert.Contains("restart 1", log);
        var resumed = Regex.Match(log, @"8000 episodes \((\d+) run, (\d+) resumed\)");
        Assert.True(resumed.Success, log);
        Assert.InRange(int.Parse(resumed.Groups[2].Value), 200, 7_999);
        Assert.Equal(WithoutTimings(SingleProcess(dir, "random", "--episodes", "40")), WithoutTimings(EpisodeRecordFile.Read(submitted.Output)));
    }
}
