using Workbench.Data;

namespace Workbench.Tests.Data;

/// <summary>
/// Peak memory depends on row-group size, shuffle buffer and prefetch — not on the dataset size. Two measures:
/// (1) the loader's own high-water mark of bytes held in decoded row groups (queued, in flight, in the shuffle block;
/// an estimate of managed bytes, see DemoFile.EstimateBytes), and (2) the managed heap after forced full collections,
/// sampled during iteration, minus the heap before the loader opened. Episodes have a fixed length so both datasets
/// have identical row groups and only their number differs.
/// </summary>
public sealed class LoaderMemoryTests
{
    private static (long PeakBuffered, long PeakHeapGrowth) Read(string folder, int episodes)
    {
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peakHeap = 0;
        using var loader = StreamingLoader.Open(folder, new LoaderOptions { Seed = 1, ShuffleBuffer = 32, Prefetch = 3, DecodeThreads = 2 });
        for (long i = 0; i < episodes; i++)
        {
            loader.Next();
            if (i % 40 == 12) peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: true) - baseline);
        }
        return (loader.Stats.PeakBufferedBytes, peakHeap);
    }

    [Fact]
    public void A_dataset_ten_times_larger_does_not_raise_peak_memory_by_more_than_ten_percent()
    {
        using var tmp = new TempFolder();
        // 10-step episodes of 1 KB observations: 10 KB per episode, 8 episodes per row group.
        var episodes = SyntheticDemos.Episodes(1000, 1, minSteps: 10, maxSteps: 10, obsBytes: 1024);
        SyntheticDemos.Write(tmp["small"], episodes.Take(100), rowsPerGroup: 80, shardRows: 800);
        SyntheticDemos.Write(tmp["large"], episodes, rowsPerGroup: 80, shardRows: 800);

        // The same number of episodes from each (ten epochs of the small one, one of the large one), so both runs
        // give the prefetch pipeline the same number of chances to fill up.
        var small = Read(tmp["small"], 1000);
        var large = Read(tmp["large"], 1000);

        Assert.True(small.PeakBuffered > 0);
        Assert.True(large.PeakBuffered <= small.PeakBuffered * 1.10,
            $"peak buffered bytes: {small.PeakBuffered:N0} (1x) vs {large.PeakBuffered:N0} (10x)");
        // The heap measure carries the loader's bookkeeping (one index entry per row group, ~100 B each) and GC noise,
        // so it gets 10% plus 256 KB of slack; the large dataset holds 10 MB of observations.
        Assert.True(large.PeakHeapGrowth <= small.PeakHeapGrowth * 1.10 + 256 * 1024,
            $"peak heap growth: {small.PeakHeapGrowth:N0} (1x) vs {large.PeakHeapGrowth:N0} (10x)");
    }
}
