namespace Workbench.Distributed;

/// <summary>Chooses the collective for this process from how it was launched.</summary>
public static class Collectives
{
    private static MpiCollective? _mpi;

    /// <summary>
    /// <see cref="SingleProcess"/> for a plain run (no MPI library is touched); under mpirun / srun the process's
    /// <see cref="MpiCollective"/> (MPI is initialised once per process, so later calls return the same one).
    /// </summary>
    /// <exception cref="MpiMissingException">launched as a rank but libmpi is not installed.</exception>
    /// <exception cref="UserError">srun started several tasks without PMIx/PMI-2, or MPI formed a smaller world than announced.</exception>
    public static ICollective FromEnvironment() => FromLaunch(MpiLaunch.FromEnvironment());

    public static ICollective FromLaunch(MpiLaunch launch)
    {
        if (!launch.IsMpi) return SingleProcess.Instance;
        if (launch.Launcher == "srun") // Open MPI would abort inside MPI_Init with a page about building PMI support
            throw new UserError($"srun started {launch.ExpectedSize} tasks without a process-management interface, so they cannot form one MPI " +
                                "world: launch with srun --mpi=pmix (srun --mpi=list shows the plugins; Debian's Open MPI uses PMIx), or use mpirun -np N");
        lock (typeof(Collectives))
        {
            if (_mpi is not null) return _mpi;
            var mpi = new MpiCollective(MpiLibrary.Load());
            if (launch.ExpectedSize is int expected && expected != mpi.Size)
            {
                mpi.Dispose();
                throw new UserError($"the launcher ({launch.Launcher}) started {expected} tasks but MPI formed a world of {mpi.Size}: the tasks " +
                                    "were not wired together; under Slurm launch with srun --mpi=pmix (srun --mpi=list shows the plugins), " +
                                    "or use mpirun -np N");
            }
            return _mpi = mpi;
        }
    }
}
