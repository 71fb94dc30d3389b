using System.Globalization;

namespace Workbench.Distributed;

/// <summary>
/// How this process was started, read from the environment the launcher sets, so a plain run never touches libmpi:
/// <c>mpirun</c>/<c>mpiexec</c> (Open MPI sets <c>OMPI_COMM_WORLD_SIZE</c>), a PMIx launcher (<c>PMIX_RANK</c>, e.g.
/// <c>srun --mpi=pmix</c>), a PMI-2 one (<c>PMI_RANK</c>, <c>srun --mpi=pmi2</c>), or <c>srun</c> with several tasks and
/// no process-management interface (<c>SLURM_STEP_NUM_TASKS</c> &gt; 1 with <c>SLURM_PROCID</c>: the tasks cannot be
/// wired into one MPI world). An sbatch script itself has no step, so a job script running one process stays single.
/// </summary>
/// <param name="Launcher">"mpirun", "pmix", "pmi2" or "srun" (unwired); null for a plain process.</param>
/// <param name="ExpectedSize">World size the launcher announced (null when it did not say).</param>
/// <param name="Rank">This process's rank as the launcher announced it (known before MPI is loaded).</param>
public sealed record MpiLaunch(string? Launcher, int? ExpectedSize, int? Rank)
{
    public static readonly MpiLaunch Plain = new(null, null, null);

    public bool IsMpi => Launcher is not null;

    public static MpiLaunch FromEnvironment() => From(Environment.GetEnvironmentVariable);

    /// <summary>Reads the launch from any variable lookup (tests pass a dictionary).</summary>
    public static MpiLaunch From(Func<string, string?> variable)
    {
        if (Int(variable("OMPI_COMM_WORLD_SIZE")) is int ompi) return new("mpirun", ompi, Int(variable("OMPI_COMM_WORLD_RANK")));
        int? slurmTasks = variable("SLURM_PROCID") is null ? null : Int(variable("SLURM_STEP_NUM_TASKS"));
        if (Int(variable("PMIX_RANK")) is int pmixRank) return new("pmix", slurmTasks, pmixRank);
        if (Int(variable("PMI_RANK")) is int pmiRank) return new("pmi2", slurmTasks, pmiRank);
        if (slurmTasks > 1) return new("srun", slurmTasks, Int(variable("SLURM_PROCID")));
        return Plain;
    }

    private static int? Int(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : null;
}
