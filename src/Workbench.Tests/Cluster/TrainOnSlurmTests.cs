using System.Diagnostics;
using Workbench.Cluster;
using Workbench.Training;

namespace Workbench.Tests.Cluster;

/// <summary>Data-parallel training as a Slurm job: an sbatch script with two tasks, the ranks started by <c>srun --mpi=pmix</c>.</summary>
[Collection("slurm")]
public class TrainOnSlurmTests
{
    private static readonly string Workbench = Path.Combine(AppContext.BaseDirectory, "workbench");

    private static List<double> TrainLosses(string runDir) =>
        MetricsLogger.Read(runDir).Where(r => r.GetProperty("split").GetString() == "train").Select(r => r.GetProperty("loss").GetDouble()).ToList();

    [SlurmFact]
    public void A_two_rank_job_submitted_with_sbatch_trains_what_one_process_trains()
    {
        string dir = TestSupport.TempDir();
        TestSupport.Experiment(dir); // writes experiment.yaml: a tiny transformer, 6 steps of batch 4 on generated demos

        var options = new SlurmOptions { Workbench = ["srun", "--mpi=pmix", Workbench], WorkingDirectory = dir };
        string script = SbatchScript.Write(Path.Combine(dir, "train.sbatch"), new SbatchJob
        {
            Name = "wb-train-2-ranks", About = ["two-rank data-parallel training"], Tasks = 2, Log = Path.Combine(dir, "%j.out"),
            Arguments = ["train", "experiment.yaml", "--runs", "slurm-runs", "--quiet"],
        }, options);
        var client = new SlurmClient();
        string job = client.Submit(script);
        var state = client.Wait(job, TimeSpan.FromMinutes(5));
        string log = File.ReadAllText(Path.Combine(dir, $"{job}.out"));
        Assert.True(state.Succeeded, state.Describe() + "\n" + log);

        // The reference: the same experiment in one plain process.
        var info = new ProcessStartInfo(Workbench, ["train", "experiment.yaml", "--runs", "single", "--quiet"])
            { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using (var single = Process.Start(info)!)
        {
            string output = single.StandardOutput.ReadToEnd() + single.StandardError.ReadToEnd();
            single.WaitForExit();
            Assert.True(single.ExitCode == 0, output);
        }

        var ranked = RunDirectory.Open(Assert.Single(Directory.GetDirectories(Path.Combine(dir, "slurm-runs", "test"))));
        var alone = RunDirectory.Open(Assert.Single(Directory.GetDirectories(Path.Combine(dir, "single", "test"))));
        var run = ranked.ReadInfo();
        Assert.Equal(("completed", 6, 2), (run.Status, run.StepsCompleted, run.WorldSize));
        // split_batches: the two ranks' halves are the one-process batch, so the losses differ only by float32 summation
        // order (relative ~1e-7; measured ≤ 6e-8 on this machine); 1e-5 is far below what other batches would give.
        var expected = TrainLosses(alone.Path);
        var actual = TrainLosses(ranked.Path);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Abs(expected[i]), $"step {i + 1}: loss {actual[i]} on 2 ranks vs {expected[i]} alone");
    }
}
