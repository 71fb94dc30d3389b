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
    /// <exception cref="UserError">srun started several tasks but MPI formed a smaller world (no PMI wiring).</exception>
    public static ICollective FromEnvironment() => FromLaunch(MpiLaunch.FromEnvironment());

    public static ICollective FromLaunch(MpiLaunch launch)
    {
        if (!launch.IsMpi) return SingleProcess.Instance;
        lock (typeof(Collectives))
        {
            if (_mpi is not null) return _mpi;
            var mpi = new MpiCollective(MpiLibrary.Load());
            if (launch.ExpectedSize is int expected && expected != mpi.Size)
            {
                mpi.Dispose();
                throw new UserError($"{launch.Launcher} started {expected} tasks but MPI formed a world of {mpi.Size}: the tasks were not " +
                                    "wired together; under Slurm launch with srun --mpi=pmix (srun --mpi=list shows the plugins), " +
                                    "or use mpirun -np N");
            }
            return _mpi = mpi;
        }
    }
}
