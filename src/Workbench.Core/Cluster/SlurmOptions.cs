using System.Reflection;

namespace Workbench.Cluster;

/// <summary>
/// What a Slurm submission asks for, passed to sbatch as written: nothing here assumes one machine, so the same
/// options work on the CI's single-node cluster and on a real one (partition, account, QOS, time limit …).
/// </summary>
public sealed record SlurmOptions
{
    /// <summary>How to start workbench on a compute node: the argv prefix (an apphost path, or dotnet + workbench.dll).</summary>
    public required IReadOnlyList<string> Workbench { get; init; }

    public string? Partition { get; init; }
    public string? Account { get; init; }
    public string? Qos { get; init; }

    /// <summary>Time limit of each task in any form sbatch accepts (<c>30</c>, <c>2:00:00</c>, <c>1-00:00:00</c>).</summary>
    public string? Time { get; init; }

    public int CpusPerTask { get; init; } = 1;

    /// <summary>Memory per node (sbatch <c>--mem</c>, e.g. <c>8G</c>).</summary>
    public string? Memory { get; init; }

    /// <summary>At most this many array tasks run at once (sbatch <c>--array=…%N</c>); null = as many as the scheduler allows.</summary>
    public int? MaxParallel { get; init; }

    /// <summary>Further sbatch options, each written as its own <c>#SBATCH</c> line (e.g. <c>--gres=gpu:1</c>, <c>--constraint=avx2</c>).</summary>
    public IReadOnlyList<string> SbatchArgs { get; init; } = [];

    /// <summary>
    /// Seconds before the time limit at which Slurm sends USR2 to the batch script (submitit's convention, 90 s); the
    /// script then requeues the task, and the requeued task resumes from its journal or checkpoint.
    /// </summary>
    public int SignalSeconds { get; init; } = 90;

    /// <summary>Folder the jobs start in (relative config and data paths resolve against it); the submitting process's by default.</summary>
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    public void Validate()
    {
        if (Workbench.Count == 0 || Workbench.Any(string.IsNullOrWhiteSpace))
            throw new UserError("slurm: the command that starts workbench on the compute nodes is empty (--workbench)");
        if (CpusPerTask < 1) throw new UserError($"--cpus-per-task {CpusPerTask}: must be at least 1");
        if (MaxParallel is < 1) throw new UserError($"--max-parallel {MaxParallel}: must be at least 1");
        if (SignalSeconds < 0) throw new UserError($"signal time {SignalSeconds} s: must not be negative");
        foreach (string arg in SbatchArgs)
            if (!arg.StartsWith('-') || arg.Contains('\n'))
                throw new UserError($"--sbatch-arg '{arg}': expected one sbatch option such as --gres=gpu:1");
    }

    /// <summary>
    /// The argv prefix that starts the running workbench again: its apphost (<c>…/workbench</c>), or
    /// <c>dotnet …/workbench.dll</c> when it was started through the dotnet host. Absolute paths, so a compute node
    /// that shares the file system runs the same build.
    /// </summary>
    public static IReadOnlyList<string> CurrentWorkbench()
    {
        string process = Environment.ProcessPath ?? throw new UserError("cannot tell how this workbench was started; pass --workbench");
        string host = Path.GetFileNameWithoutExtension(process);
        if (host != "dotnet") return [process];
        string? entry = Assembly.GetEntryAssembly()?.Location;
        if (string.IsNullOrEmpty(entry)) throw new UserError("cannot tell which workbench.dll is running; pass --workbench");
        return [process, entry];
    }
}
