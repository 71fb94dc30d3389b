using System.CommandLine;
using Workbench.Cluster;

namespace Workbench.Cli.Commands;

/// <summary>The Slurm options shared by <c>eval --slurm</c> and <c>sweep --slurm</c>, and what they print after submitting.</summary>
internal sealed class SlurmCli
{
    public readonly Option<bool> Slurm = Declare.Flag("--slurm", "submit to Slurm as a job array (sbatch scripts kept next to the results) instead of running here");
    private readonly Option<string?> _partition = Declare.OptionalText("--partition", "Slurm partition (sbatch --partition)", "NAME");
    private readonly Option<string?> _account = Declare.OptionalText("--account", "Slurm account to charge (sbatch --account)", "NAME");
    private readonly Option<string?> _qos = Declare.OptionalText("--qos", "Slurm quality of service (sbatch --qos)", "NAME");
    private readonly Option<string?> _time = Declare.OptionalText("--time", "time limit per task, e.g. 30 or 2:00:00 (sbatch --time); USR2 90 s before it requeues the task", "LIMIT");
    private readonly Option<int> _cpus = Declare.Number("--cpus-per-task", "CPUs per task (sbatch --cpus-per-task)", 1, "N");
    private readonly Option<string?> _mem = Declare.OptionalText("--mem", "memory per task's node, e.g. 8G (sbatch --mem)", "SIZE");
    private readonly Option<int?> _maxParallel = Declare.OptionalNumber<int>("--max-parallel", "run at most N array tasks at once (sbatch --array=…%N)", "N");
    private readonly Option<string[]> _sbatchArgs = Declare.Repeated("--sbatch-arg", "any further sbatch option, written as its own #SBATCH line, e.g. --sbatch-arg=--gres=gpu:1", "OPTION");
    private readonly Option<string?> _workbench = Declare.OptionalText("--workbench", "command that starts workbench on the compute nodes (default: this workbench's own path)", "COMMAND");
    public readonly Option<bool> DryRun = Declare.Flag("--dry-run", "with --slurm: write the sbatch scripts and print how to submit them, without submitting");
    public readonly Option<bool> Wait = Declare.Flag("--wait", "with --slurm: wait until the jobs finish and report how they ended (exit 1 if one failed)");

    public IReadOnlyList<Symbol> All => [Slurm, _partition, _account, _qos, _time, _cpus, _mem, _maxParallel, _sbatchArgs, _workbench, DryRun, Wait];

    public SlurmOptions Parse(ParseResult parse) => new()
    {
        Workbench = parse.GetValue(_workbench) is { } command ? command.Split(' ', StringSplitOptions.RemoveEmptyEntries) : SlurmOptions.CurrentWorkbench(),
        Partition = parse.GetValue(_partition),
        Account = parse.GetValue(_account),
        Qos = parse.GetValue(_qos),
        Time = parse.GetValue(_time),
        CpusPerTask = parse.GetValue(_cpus),
        Memory = parse.GetValue(_mem),
        MaxParallel = parse.GetValue(_maxParallel),
        SbatchArgs = parse.GetValue(_sbatchArgs) ?? [],
    };

    /// <summary>Refuses options that only make sense with --slurm when it is not given.</summary>
    public void RefuseWithoutSlurm(ParseResult parse, string command)
    {
        if (parse.GetValue(Slurm)) return;
        foreach (var option in All.OfType<Option>().Where(o => o != Slurm && parse.WasGiven(o)))
            throw new UserError($"{command}: {option.Name} applies to a Slurm submission; add --slurm");
    }

    /// <summary>Prints the job ids (or, for a dry run, the sbatch commands) and, with --wait, waits for each job in turn.</summary>
    public int Report(ParseResult parse, CliContext cli, string folder, IReadOnlyList<(string Script, string? JobId)> jobs)
    {
        cli.Out.WriteLine($"sbatch scripts and logs: {folder}");
        if (parse.GetValue(DryRun))
        {
            cli.Out.WriteLine("not submitted (--dry-run); submit with:");
            cli.Out.WriteLine(jobs.Count == 1 ? $"  sbatch {jobs[0].Script}" : $"  jid=$(sbatch --parsable {jobs[0].Script})");
            foreach (var (script, _) in jobs.Skip(1)) cli.Out.WriteLine($"  sbatch --dependency=afterok:$jid --kill-on-invalid-dep=yes {script}");
            return ExitCodes.Ok;
        }
        foreach (var (script, id) in jobs) cli.Out.WriteLine($"submitted job {id}: {Path.GetFileName(script)}");
        cli.Out.WriteLine($"follow with: squeue -j {string.Join(',', jobs.Select(j => j.JobId))}   (logs in {Path.Combine(folder, "logs")})");
        if (!parse.GetValue(Wait)) return ExitCodes.Ok;

        var client = new SlurmClient();
        foreach (var (script, id) in jobs)
        {
            var state = client.Wait(id!, TimeSpan.FromDays(7), s => cli.Error.WriteLine(s.Describe()));
            if (!state.Succeeded)
            {
                cli.Out.WriteLine($"{Path.GetFileName(script)} (job {id}) did not succeed: {state.Describe()}; see the logs in {Path.Combine(folder, "logs")}");
                return ExitCodes.CheckFailed;
            }
        }
        return ExitCodes.Ok;
    }
}
