using Workbench.Cluster;

namespace Workbench.Tests.Cluster;

/// <summary>
/// A fact that needs a running Slurm (sbatch, scontrol, sinfo answering). It is skipped, with the reason shown, only
/// where Slurm cannot be reached; CI starts a single-node cluster first (.ci/slurm/start.sh), so there it runs.
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Reason = new(() => new SlurmClient().Unavailable());

    public SlurmFactAttribute()
    {
        // CI sets WORKBENCH_REQUIRE_SLURM=1 after starting its cluster: there a missing Slurm fails the tests instead of skipping them.
        if (Reason.Value is { } why && Environment.GetEnvironmentVariable("WORKBENCH_REQUIRE_SLURM") != "1")
            Skip = $"no Slurm here ({why}); start a single-node cluster with: sudo .ci/slurm/start.sh";
    }
}

/// <summary>Slurm tests share one small cluster: run them one after another.</summary>
[CollectionDefinition("slurm", DisableParallelization = true)]
public sealed class SlurmCollection;
