namespace Workbench.Data;

/// <summary>How the ranks of a data-parallel (MPI) run share the training data.</summary>
public enum DataSharding
{
    /// <summary>
    /// Every rank reads the whole single-process stream and trains on its 1/W slice of each batch, so the W ranks
    /// together see exactly the batches one process sees: a W-rank run equals a 1-rank run up to floating-point
    /// summation order, and the loader state is the same on every rank. Each rank decodes all the data.
    /// </summary>
    SplitBatches,

    /// <summary>
    /// Rank r reads only its own shard of every epoch (the streaming loader's disjoint rank ranges; generated bot:
    /// sources follow the same rule), so each rank reads 1/W of the data. The batches differ from a 1-rank run's.
    /// </summary>
    RankStreams,
}
