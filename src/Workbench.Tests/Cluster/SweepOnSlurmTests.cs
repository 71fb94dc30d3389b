using System.Diagnostics;
using Workbench.Cluster;
using Workbench.Training;
using Workbench.Tests.Workflows;
using Workbench.Workflows.Sweeps;

namespace Workbench.Tests.Cluster;

/// <summary>A sweep submitted to a real Slurm as an array (one task per run) plus a report job gives what the local run gives.</summary>
[Collection("slurm")]
public class SweepOnSlurmTests
{
    private static readonly string Workbench = Path.Combine(AppContext.BaseDirectory, "workbench");

    [SlurmFact]
    public void An_array_of_sweep_runs_and_its_report_job_equal_the_local_sweep()
    {
        string dir = TestSupport.TempDir();
        string local = SweepFixture.Write(Path.Combine(dir, "local")), onSlurm = SweepFixture.Write(Path.Combine(dir, "slurm"));

        // The local reference, as a user runs it (its own process, like the array tasks).
        var info = new ProcessStartInfo(Workbench, ["sweep", local, "--quiet", "--registry", Path.Combine(dir, "local", "registry")])
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using (var process = Process.Start(info)!)
        {
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, output);
        }

        var plan = SweepPlan.Load(onSlurm);
        var submitted = SweepSlurm.Submit(plan, new SlurmOptions { Workbench = [Workbench], WorkingDirectory = dir }, Path.Combine(dir, "slurm", "registry"));
        Assert.Equal([0, 1, 2, 3], submitted.Runs);
        var client = new SlurmClient();
        foreach (string job in new[] { submitted.ArrayJobId!, submitted.ReportJobId! })
        {
            var state = client.Wait(job, TimeSpan.FromMinutes(8));
            Assert.True(state.Succeeded, state.Describe() + string.Concat(Directory.GetFiles(Path.Combine(submitted.Folder, "logs")).Order()
                .Select(f => $"\n--- {f}\n{File.ReadAllText(f)}")));
        }

        var localPlan = SweepPlan.Load(local);
        foreach (var run in plan.Runs)
        {
            var a = SweepResult.TryRead(localPlan.ResultPath(localPlan.Runs[run.Index]))!;
            var b = SweepResult.TryRead(plan.ResultPath(run))!;
            Assert.Equal((a.Value, a.Low, a.High, a.Steps), (b.Value, b.Low, b.High, b.Steps));
        }
        Assert.True(File.Exists(Path.Combine(plan.Folder, "summary.md")), "the report job wrote no summary");
        Assert.True(File.Exists(Path.Combine(plan.Folder, "points.parquet")));
        Assert.Equal(4, ModelVersions.List(Path.Combine(dir, "slurm", "registry")).Count);

        // Everything is finished now: a second submission has no runs to do, only the report.
        var again = SweepSlurm.Submit(SweepPlan.Load(onSlurm), new SlurmOptions { Workbench = [Workbench], WorkingDirectory = dir }, submit: false);
        Assert.Empty(again.Runs);
        Assert.Null(again.ArrayScript);
    }
}
