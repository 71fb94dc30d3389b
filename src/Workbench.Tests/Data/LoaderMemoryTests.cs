using Workbench.Data;
using Xunit.Abstractions;

namespace Workbench.Tests.Data;

/// <summary>
/// Peak memory depends on row-group size, shuffle buffer and prefetch — not on the dataset size. Two measures:
/// (1) the loader's own high-water mark of bytes held in decoded row groups (queued, in flight, in the shuffle block;
/// an estimate of managed bytes, see DemoFile.EstimateBytes), and (2) the managed heap after forced full collections,
/// sampled during iteration, minus the heap before the loader opened. Episodes have a fixed length so both datasets
/// have identical row groups and only their number differs.
/// </summary>
[Collection(SerialCollection.Name)] // the heap measure sees the whole process: no other test may run meanwhile
public sealed class LoaderMemoryTests(ITestOutputHelper output)
{
    private static (long PeakBuffered, long PeakHeapGrowth) Read(string folder, int episodes, bool sampleHeap)
    {
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peakHeap = 0;
        using var loader = StreamingLoader.Open(folder, new LoaderOptions { Seed = 1, ShuffleBuffer = 32, Prefetch = 3, DecodeThreads = 2 });
        for (long i = 0; i < episodes; i++)
        {
            loader.Next();
            if (sampleHeap && i % 40 == 12) peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: true) - baseline);
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
        // The realised peak depends on how far the prefetch got ahead at block boundaries (thread timing), so each side
        // takes the highest of three runs; the structural bound is the same for both: (prefetch + 1) row groups queued or
        // decoding plus one shuffle block.
        (long PeakBuffered, long PeakHeapGrowth) Peak(string folder)
        {
            var runs = Enumerable.Range(0, 3).Select(_ => Read(folder, 1000, sampleHeap: true)).ToList();
            return (runs.Max(r => r.PeakBuffered), runs.Max(r => r.PeakHeapGrowth));
        }
        var small = Peak(tmp["small"]);
        var large = Peak(tmp["large"]);

        output.WriteLine($"peak buffered bytes {small.PeakBuffered:N0} (1x) vs {large.PeakBuffered:N0} (10x); " +
                         $"peak heap growth {small.PeakHeapGrowth:N0} (1x) vs {large.PeakHeapGrowth:N0} (10x)");
        Assert.True(small.PeakBuffered > 0);
        Assert.True(large.PeakBuffered <= small.PeakBuffered * 1.10,
            $"peak buffered bytes: {small.PeakBuffered:N0} (1x) vs {large.PeakBuffered:N0} (10x)");
        // The heap measure carries the loader's bookkeeping (one index entry per row group, ~100 B each) and GC noise,
        // so it gets 10% plus 256 KB of slack; the large dataset holds 10 MB of observations.
        Assert.True(large.PeakHeapGrowth <= small.PeakHeapGrowth * 1.10 + 256 * 1024,
            $"peak heap growth: {small.PeakHeapGrowth:N0} (1x) vs {large.PeakHeapGrowth:N0} (10x)");
    }

    /// <summary>
    /// Opening a source reads every file's footer; each open leaves garbage (Parquet.Net's footer objects and buffers)
    /// and nothing large is allocated meanwhile, so without a bound it stays on the heap up to the GC's gen0 budget (80 MB
    /// on a machine with a large L3 cache), resident, in proportion to the file count. The loader collects it every
    /// <see cref="GarbageBudget.DefaultBytes"/>. On a machine whose gen0 budget is below four budgets' worth of opens this
    /// passes without the bound too (the GC then collects on its own); with the 80 MB budget it fails without it.
    /// </summary>
    [Fact]
    public void Opening_many_files_leaves_at_most_the_garbage_budget_on_the_heap()
    {
        using var tmp = new TempFolder();
        var files = SyntheticDemos.Write(tmp["ds"], SyntheticDemos.Episodes(40, 5, minSteps: 10, maxSteps: 10), rowsPerGroup: 40, shardRows: 400);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        DemoFile.Open(files[0]);
        long perOpen = GC.GetTotalAllocatedBytes(precise: true) - before;
        // Listed often enough that, kept, the garbage would be four budgets (the benchmark's 10x lists files the same way).
        int repeats = (int)Math.Min(5000, 4 * GarbageBudget.DefaultBytes / Math.Max(1, perOpen * files.Count) + 1);
        var many = Enumerable.Repeat(files, repeats).SelectMany(f => f).ToList();

        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        var index = SourceIndex.Build(0, new LoaderSource(tmp["ds"]) { Files = many }, new LoaderOptions(), new LoaderStats());
        long heldAfterOpen = GC.GetTotalMemory(forceFullCollection: false) - baseline;
        long retained = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        GC.KeepAlive(index);

        long garbage = heldAfterOpen - retained;
        output.WriteLine($"{many.Count} opens of {perOpen:N0} B each ({many.Count * perOpen / 1e6:F1} MB allocated): " +
                         $"garbage left on the heap {garbage / 1e6:F1} MB, index retained {retained / 1e6:F2} MB");
        Assert.Equal(many.Count, index.Files.Count);
        Assert.True(many.Count * perOpen >= 4 * GarbageBudget.DefaultBytes, $"the test allocates too little: {many.Count} × {perOpen:N0} B");
        // One open's garbage past the budget, plus the allocation contexts of a few threads.
        Assert.True(garbage <= GarbageBudget.DefaultBytes + perOpen + (1 << 20),
            $"{garbage:N0} B of garbage left after {many.Count} opens; the budget is {GarbageBudget.DefaultBytes:N0} B");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial (process-wide measurements)";
}
