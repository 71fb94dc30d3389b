using Workbench.Distributed;

namespace Workbench.Tests.Distributed;

/// <summary>A fact that runs real processes under Open MPI's mpirun; skipped, with the reason shown, where mpirun is missing.</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (MpiRun.Find() is null) Skip = "mpirun not found on PATH (install the Debian package openmpi-bin; .ci/run does)";
    }
}

/// <summary>A theory over real mpirun runs; skipped, with the reason shown, where mpirun is missing.</summary>
public sealed class MpiTheoryAttribute : TheoryAttribute
{
    public MpiTheoryAttribute()
    {
        if (MpiRun.Find() is null) Skip = "mpirun not found on PATH (install the Debian package openmpi-bin; .ci/run does)";
    }
}
