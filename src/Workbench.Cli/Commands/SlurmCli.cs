using Workbench.Cluster;

namespace Workbench.Cli.Commands;

/// <summary>The Slurm options shared by <c>eval --slurm</c> and <c>sweep --slurm</c>, and what they print after submitting.</summary>
internal static class SlurmCli
{
    public static readonly IReadOnlyList<OptionSpec> Options =
    [
        new("slurm", "submit to Slurm as a job array (sbatch scripts kept next to the results) instead of running here", IsFlag: true),
        new("partition", "Slurm partition (sbatch --partition)", ValueName: "NAME"),
        new("account", "Slurm account to charge (sbatch --account)", ValueName: "NAME"),
        new("qos", "Slurm quality of service (sbatch --qos)", ValueName: "NAME"),
        new("time", "time limit per task, e.g. 30 or 2:00:00 (sbatch --time); USR2 90 s before it requeues the task", ValueName: "LIMIT"),
        new("cpus-per-task", "CPUs per task (sbatch --cpus-per-task)", Default: "1", ValueName: "N"),
        new("mem", "memory per task's node, e.g. 8G (sbatch --mem)", ValueName: "SIZE"),
        new("max-parallel", "run at most N array tasks at once (sbatch --array=…%N)", ValueName: "N"),
        new("sbatch-arg", "any further sbatch option, written as its own #SBATCH line, e.g. --sbatch-arg=--gres=gpu:1", Repeatable: true, ValueName: "OPTION"),
        new("workbench", "command that starts workbench on the compute nodes (default: this workbench's own path)", ValueName: "COMMAND"),
        new("dry-run", "with --slurm: write the sbatch scripts and print how to submit them, without submitting", IsFlag: true),
        new("wait", "with --slurm: wait until the jobs finish and report how they ended (exit 1 if one failed)", IsFlag: true),
    ];

    public static SlurmOptions Parse(ParsedArgs args) => new()
    {
        Workbench = args.Option("workbench") is { } command
            ? command.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : SlurmOptions.CurrentWorkbench(),
        Partition = args.Option("partition"),
        Account = args.Option("account"),
        Qos = args.Option("qos"),
        Time = args.Option("time"),
        CpusPerTask = args.Int("cpus-per-task", 1),
        Memory = args.Option("mem"),
        MaxParallel = args.Option("max-parallel") is null ? null : args.Int("max-parallel", 1),
        SbatchArgs = args.Options("sbatch-arg"),
    };

    /// <summary>Prints the job ids (or, for a dry run, the sbatch commands) and, with --wait, waits for <paramref name="lastJob"/>.</summary>
    public static int Report(ParsedArgs args, string folder, IReadOnlyList<(string Script, string? JobId)> jobs, string? lastJob)
    {
        Console.Out.WriteLine($"sbatch scripts and logs: {folder}");
        if (lastJob is null)
        {
            Console.Out.WriteLine("not submitted (--dry-run); submit with:");
            Console.Out.WriteLine($"  jid=$(sbatch --parsable {jobs[0].Script})");
            foreach (var (script, _) in jobs.Skip(1)) Console.Out.WriteLine($"  sbatch --dependency=afterok:$jid --kill-on-invalid-dep=yes {script}");
            return ExitCodes.Ok;
        }
        foreach (var (script, id) in jobs) Console.Out.WriteLine($"submitted job {id}: {Path.GetFileName(script)}");
        Console.Out.WriteLine($"follow with: squeue -j {string.Join(',', jobs.Select(j => j.JobId))}   (logs in {Path.Combine(folder, "logs")})");
        if (!args.Flag("wait")) return ExitCodes.Ok;

        var client = new SlurmClient();
        foreach (var (script, id) in jobs)
        {
            var state = client.Wait(id!, TimeSpan.FromDays(7), s => Console.Error.WriteLine(s.Describe()));
            if (!state.Succeeded)
            {
                Console.Out.WriteLine($"{Path.GetFileName(script)} (job {id}) did not succeed: {state.Describe()}; see the logs in {Path.Combine(folder, "logs")}");
                return ExitCodes.CheckFailed;
            }
        }
        return ExitCodes.Ok;
    }
}
