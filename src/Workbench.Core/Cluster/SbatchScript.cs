using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Workbench.Cluster;

/// <summary>One batch job: a workbench command, run once or as an array of tasks.</summary>
public sealed record SbatchJob
{
    /// <summary>sbatch <c>--job-name</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Comment lines at the top of the script: what it runs, and how to resubmit it.</summary>
    public required IReadOnlyList<string> About { get; init; }

    /// <summary>The task ids of an array (<c>SLURM_ARRAY_TASK_ID</c>), e.g. 0 … n−1; null = a single job.</summary>
    public IReadOnlyList<int>? ArrayTasks { get; init; }

    /// <summary>sbatch <c>--output</c>: an absolute path with Slurm's patterns (<c>%A_%a</c> for array tasks, <c>%j</c> for jobs).</summary>
    public required string Log { get; init; }

    /// <summary>
    /// Arguments after the workbench command. In an array job they may contain <see cref="SbatchScript.TaskNumber"/>
    /// (1-based, the k of <c>--shard k/N</c>) and <see cref="SbatchScript.TaskIndex"/> (0-based).
    /// </summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>Requeue on USR2 (time limit near, preemption): for commands that resume from a journal or checkpoint.</summary>
    public bool Requeue { get; init; } = true;

    /// <summary>sbatch <c>--ntasks</c>: more than one for an MPI job, whose command then starts with <c>srun --mpi=pmix</c>.</summary>
    public int Tasks { get; init; } = 1;
}

/// <summary>
/// Writes sbatch scripts a person can read and resubmit: every option as an <c>#SBATCH</c> line, arguments
/// single-quoted, the workbench command replaceable through <c>WORKBENCH=…</c> at submission. Array tasks map
/// <c>SLURM_ARRAY_TASK_ID</c> to their part; a USR2 trap (sent <see cref="SlurmOptions.SignalSeconds"/> before the
/// time limit, submitit's convention) requeues the task, which then resumes where its journal or checkpoint ends.
/// </summary>
public static partial class SbatchScript
{
    public const string TaskNumber = "{task}";
    public const string TaskIndex = "{task_index}";

    [GeneratedRegex(@"(\{task\}|\{task_index\})")]
    private static partial Regex Placeholder();

    /// <summary>Writes the script (atomically, executable) and returns its path.</summary>
    public static string Write(string path, SbatchJob job, SlurmOptions options)
    {
        Runtime.AtomicFile.WriteAllText(path, Render(job, options));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute);
        return path;
    }

    public static string Render(SbatchJob job, SlurmOptions options)
    {
        options.Validate();
        if (job.ArrayTasks is { Count: 0 } || job.ArrayTasks?.Any(t => t < 0) == true)
            throw new ArgumentException("an array needs at least one task, with ids ≥ 0", nameof(job));
        if (job.Tasks < 1) throw new ArgumentOutOfRangeException(nameof(job), job.Tasks, "a job needs at least one task");
        if (job.ArrayTasks is null && job.Arguments.Any(a => Placeholder().IsMatch(a)))
            throw new ArgumentException("task placeholders only make sense in an array job", nameof(job));

        var s = new StringBuilder();
        s.AppendLine("#!/bin/bash");
        foreach (string line in job.About) s.AppendLine("# " + line);
        Directive(s, "--job-name", job.Name);
        if (job.ArrayTasks is { } tasks)
            Directive(s, "--array", Ranges(tasks) + (options.MaxParallel is int p ? $"%{p}" : ""));
        Directive(s, "--output", job.Log);
        Directive(s, "--open-mode", "append"); // a requeued task appends to the same log
        Directive(s, "--chdir", Path.GetFullPath(options.WorkingDirectory));
        Directive(s, "--ntasks", job.Tasks.ToString(CultureInfo.InvariantCulture));
        Directive(s, "--cpus-per-task", options.CpusPerTask.ToString(CultureInfo.InvariantCulture));
        if (options.Partition is { } partition) Directive(s, "--partition", partition);
        if (options.Account is { } account) Directive(s, "--account", account);
        if (options.Qos is { } qos) Directive(s, "--qos", qos);
        if (options.Time is { } time) Directive(s, "--time", time);
        if (options.Memory is { } memory) Directive(s, "--mem", memory);
        if (job.Requeue)
        {
            s.AppendLine("#SBATCH --requeue");
            Directive(s, "--signal", $"B:USR2@{options.SignalSeconds.ToString(CultureInfo.InvariantCulture)}");
        }
        foreach (string extra in options.SbatchArgs) s.AppendLine("#SBATCH " + extra);

        s.AppendLine("set -uo pipefail");
        s.AppendLine();
        s.AppendLine("# How to start workbench on the compute node; replace it with WORKBENCH=\"…\" in the environment of sbatch.");
        s.AppendLine($"if [ -n \"${{WORKBENCH:-}}\" ]; then read -r -a workbench <<<\"$WORKBENCH\"; else workbench=({string.Join(' ', options.Workbench.Select(Quote))}); fi");
        if (job.ArrayTasks != null)
        {
            s.AppendLine("task_index=${SLURM_ARRAY_TASK_ID:?this script is an array job: submit it with sbatch}");
            s.AppendLine("task=$((task_index + 1))");
        }
        s.AppendLine("echo \"workbench: job ${SLURM_JOB_ID:-?} task ${SLURM_ARRAY_TASK_ID:--} on $(hostname) at $(date -u +%FT%TZ), restart ${SLURM_RESTART_COUNT:-0}\"");
        s.AppendLine();
        if (job.Requeue)
        {
            s.AppendLine("# USR2 arrives before the time limit (or from a preempting scheduler): put this task back in the queue. Slurm then");
            s.AppendLine("# stops it; the requeued task runs the same command, which resumes from its journal or checkpoint.");
            s.AppendLine("on_usr2() { echo \"workbench: USR2 received, requeueing job ${SLURM_JOB_ID}\"; scontrol requeue \"${SLURM_JOB_ID}\"; }");
            s.AppendLine("trap on_usr2 USR2");
        }
        // Run in the background and wait: bash runs a trap only between commands, and `wait` returns early for one.
        s.AppendLine("\"${workbench[@]}\" " + string.Join(' ', job.Arguments.Select(Quote)) + " &");
        s.AppendLine("child=$!");
        s.AppendLine("while :; do");
        s.AppendLine("  wait \"$child\"; status=$?");
        s.AppendLine("  kill -0 \"$child\" 2>/dev/null || break  # still running: the wait was cut short by a signal");
        s.AppendLine("done");
        s.AppendLine("echo \"workbench: exit status $status at $(date -u +%FT%TZ)\"");
        s.AppendLine("exit \"$status\"");
        return s.ToString();
    }

    /// <summary>Single-quotes an argument for bash; task placeholders become <c>"$task"</c> / <c>"$task_index"</c>.</summary>
    public static string Quote(string argument)
    {
        var pieces = Placeholder().Split(argument).Where(p => p.Length > 0).ToList();
        if (pieces.Count == 0) return "''";
        return string.Concat(pieces.Select(p => p switch
        {
            TaskNumber => "\"$task\"",
            TaskIndex => "\"$task_index\"",
            _ => "'" + p.Replace("'", "'\\''") + "'",
        }));
    }

    /// <summary>Task ids in sbatch's --array syntax: 0, 1, 2, 3, 7, 9, 10 → "0-3,7,9-10".</summary>
    public static string Ranges(IEnumerable<int> ids)
    {
        var sorted = ids.Distinct().Order().ToList();
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(j == i ? sorted[i].ToString(CultureInfo.InvariantCulture) : $"{sorted[i]}-{sorted[j]}");
            i = j + 1;
        }
        return string.Join(',', parts);
    }

    private static void Directive(StringBuilder s, string name, string value)
    {
        if (value.Contains('\n') || value.Contains(' '))
            throw new UserError($"sbatch {name} '{value}': spaces and newlines cannot be passed in an #SBATCH line");
        s.AppendLine($"#SBATCH {name}={value}");
    }
}
