using System.Runtime;

namespace Workbench.Data;

/// <summary>
/// Bounds the garbage that a phase of many small allocations and no large ones leaves resident: the loader's index
/// build, which opens every file of a source (about 0.2 MB of short-lived footer objects, readers and buffers per file,
/// most of it inside Parquet.Net) and keeps only a few hundred bytes of it.
///
/// Why: the GC collects gen0 only when its budget is spent, and that budget follows the CPU's cache size — 80 MB on the
/// 2-core machine with a 300 MB L3 where <c>workbench bench data --rss</c> runs (<c>GC.GetConfigurationVariables()</c>,
/// <c>GCGen0MaxBudget</c>). While the index is built nothing else allocates, so the dead footers of up to ~400 files
/// piled up; their pages stayed resident, and the large decode buffers that follow cannot reuse freed small-object
/// regions, so the loader's peak RSS grew with the number of files (1.17–1.25× at 10× the files). A gen0 collection
/// every <see cref="DefaultBytes"/> keeps what the phase touches at that, whatever the file count; the survivors are the
/// index itself, so each one is short. The budget can only be set by an environment variable before the process
/// starts (DOTNET_GCGen0MaxBudget has no runtimeconfig name), which a library cannot do for its users.
/// Never inside a no-GC region (training steps use one, <see cref="Runtime.NoGcRegion"/>; a collection would end it).
/// </summary>
internal sealed class GarbageBudget(long bytes = GarbageBudget.DefaultBytes)
{
    /// <summary>Bytes allocated (by any thread) between the collections this budget asks for.</summary>
    public const long DefaultBytes = 8L << 20;

    private long _mark = GC.GetTotalAllocatedBytes();
    private int _collections = GC.CollectionCount(0);

    /// <summary>Call after each unit of work: collects gen0 once <c>bytes</c> were allocated since the last collection.</summary>
    public void Spent()
    {
        long now = GC.GetTotalAllocatedBytes();
        int collections = GC.CollectionCount(0);
        if (collections != _collections) (_mark, _collections) = (now, collections); // the GC ran on its own meanwhile
        if (now - _mark < bytes || GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return;
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        (_mark, _collections) = (GC.GetTotalAllocatedBytes(), GC.CollectionCount(0));
    }
}
