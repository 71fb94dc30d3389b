using System.Globalization;
using System.Text.Json;
using Workbench.Cluster;
using Workbench.Training;

namespace Workbench.Workflows.Sweeps;

/// <summary>What was written and submitted for a sweep; job ids are null when the scripts were only written.</summary>
public sealed record SubmittedSweep(string Folder, string? ArrayScript, string ReportScript, IReadOnlyList<int> Runs, string? ArrayJobId, string? ReportJobId);

/// <summary>
/// <c>workbench sweep FILE --slurm</c>: an array with one task per unfinished run (task id = run index; the task runs
/// <c>sweep FILE --run &lt;index&gt;</c>, resuming its training from the latest checkpoint and its eval from the journal
/// when requeued), and a report job that starts once every task succeeded. Scripts and logs go to
/// <c>&lt;sweep folder&gt;/slurm/</c>.
/// </summary>
public static class SweepSlurm
{
    public static SubmittedSweep Submit(SweepPlan plan, SlurmOptions slurm, string registryRoot = ModelVersions.DefaultRoot, SlurmClient? client = null,
        bool submit = true)
    {
        slurm.Validate();
        client ??= new SlurmClient();
        if (submit) client.RequireSbatch();
        plan.Check();
        var suite = plan.Suite();
        var pending = plan.Runs.Where(r => SweepRunner.Finished(plan, r, plan.Experiment(r), suite) is null).Select(r => r.Index).ToList();

        string folder = Path.GetFullPath(Path.Combine(plan.Folder, "slurm"));
        string logs = Path.Combine(folder, "logs");
        Directory.CreateDirectory(logs);
        var common = new List<string> { plan.File };
        foreach (string o in plan.Overrides) common.AddRange(["--set", o]);
        if (registryRoot != ModelVersions.DefaultRoot) common.AddRange(["--registry", registryRoot]);
        string name = plan.Config.Name;

        string? arrayScript = null;
        if (pending.Count > 0)
            arrayScript = SbatchScript.Write(Path.Combine(folder, "sweep-array.sbatch"), new SbatchJob
            {
                Name = $"wb-sweep-{name}",
                About =
                [
                    $"Workbench sweep {name} ({plan.File}) as a Slurm array: task i trains, registers and evaluates run i of the plan.",
                    $"{pending.Count} of {plan.Runs.Count} runs were unfinished when this was written ({DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ});",
                    "a requeued task resumes training from its latest checkpoint and its eval from the journal. Resubmit with:",
                    $"  workbench sweep {plan.File} --slurm   (it submits only the runs still unfinished, then the report)",
                ],
                ArrayTasks = pending,
                Log = Path.Combine(logs, "%A_%a.out"),
                Arguments = ["sweep", .. common, "--run", SbatchScript.TaskIndex, "--quiet"],
            }, slurm);
        string reportScript = SbatchScript.Write(Path.Combine(folder, "sweep-report.sbatch"), new SbatchJob
        {
            Name = $"wb-sweep-report-{name}",
            About = [$"Workbench sweep {name}: the table, plot and summary from the finished runs (after the array: --dependency=afterok)."],
            Log = Path.Combine(logs, "%j-report.out"),
            Arguments = ["sweep", .. common, "--report"],
            Requeue = false,
        }, slurm);

        string? arrayJob = null, reportJob = null;
        if (submit)
        {
            if (arrayScript != null) arrayJob = client.Submit(arrayScript);
            reportJob = client.Submit(reportScript, afterOk: arrayJob);
            Runtime.AtomicFile.WriteAllText(Path.Combine(folder, "submitted.json"), JsonSerializer.Serialize(new
            {
                array_job = arrayJob, report_job = reportJob, submitted = DateTimeOffset.UtcNow, sweep = plan.File,
                runs = pending.Select(i => i.ToString(CultureInfo.InvariantCulture)), logs,
            }, new JsonSerializerOptions { WriteIndented = true }));
        }
        return new SubmittedSweep(folder, arrayScript, reportScript, pending, arrayJob, reportJob);
    }
}
