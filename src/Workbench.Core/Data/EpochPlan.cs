using Workbench.Runtime;

namespace Workbench.Data;

/// <summary>The options of one source that decide the order of its episodes (and nothing else does).</summary>
/// <param name="Seed">the experiment seed.</param>
/// <param name="Source">the source's number in the mixture (each source has its own order).</param>
/// <param name="Shuffle">permute row groups per epoch and episodes inside a shuffle block.</param>
/// <param name="ShuffleBuffer">episodes gathered into one shuffle block (at least; whole row groups); 0 = no episode shuffle.</param>
public sealed record PlanOptions(long Seed, int Source, int Rank = 0, int WorldSize = 1, bool Shuffle = true, int ShuffleBuffer = 256);

/// <summary>Episodes [<see cref="From"/>, <see cref="To"/>) of row group <see cref="Unit"/> (an index into the source's row groups).</summary>
public sealed record PlanSlice(int Unit, int From, int To)
{
    public int Count => To - From;
}

/// <summary>Slices [<see cref="FirstSlice"/>, <see cref="EndSlice"/>) of an epoch, read together and shuffled as one.</summary>
public sealed record ShuffleBlock(int FirstSlice, int EndSlice);

/// <summary>One epoch of one rank: the slices of row groups it reads, in order, cut into shuffle blocks.</summary>
public sealed record EpochPlan(int Epoch, IReadOnlyList<PlanSlice> Slices, IReadOnlyList<ShuffleBlock> Blocks)
{
    public int EpisodesIn(int block) => Enumerable.Range(Blocks[block].FirstSlice, Blocks[block].EndSlice - Blocks[block].FirstSlice).Sum(i => Slices[i].Count);
}

/// <summary>
/// The pure order of a source's episodes: no files, threads or state, only counts and seeds, so it can be tested alone
/// and re-derived on resume. The row group is the unit.
/// <list type="number">
/// <item>Each epoch the row groups are permuted by (seed, source, epoch) — stream 1 of <see cref="Rng.Derive"/>.</item>
/// <item>The permuted row groups form a virtual sequence of E episodes; rank r of W takes [r·m, (r+1)·m) with
/// m = ⌊E/W⌋: shards are disjoint and equal, fewer than W episodes per epoch are left out (which ones changes with the
/// permutation).</item>
/// <item>A rank's range is cut into shuffle blocks: consecutive slices holding at least <see cref="PlanOptions.ShuffleBuffer"/>
/// episodes (the last block may hold fewer).</item>
/// <item>The episodes of block b are shuffled by (seed, source, epoch, b) — stream 2.</item>
/// </list>
/// Stream 3 (the mixture generator) belongs to the loader.
/// </summary>
public sealed class EpochPlanner
{
    private readonly int[] _episodes;

    public PlanOptions Options { get; }

    /// <summary>Episodes per epoch on every rank: ⌊E/W⌋.</summary>
    public long EpisodesPerRank { get; }

    /// <param name="episodesPerUnit">episodes of each row group, in the source's file order (all &gt; 0).</param>
    public EpochPlanner(IReadOnlyList<int> episodesPerUnit, PlanOptions options)
    {
        if (options.WorldSize < 1 || options.Rank < 0 || options.Rank >= options.WorldSize)
            throw new ArgumentOutOfRangeException(nameof(options), $"rank {options.Rank} of world size {options.WorldSize}");
        if (episodesPerUnit.Any(e => e <= 0)) throw new ArgumentException("every row group of the plan must hold episodes", nameof(episodesPerUnit));
        _episodes = [.. episodesPerUnit];
        Options = options;
        EpisodesPerRank = _episodes.Sum(e => (long)e) / options.WorldSize;
    }

    /// <summary>The plan of <paramref name="epoch"/> for this rank.</summary>
    public EpochPlan Plan(int epoch)
    {
        var o = Options;
        var order = Enumerable.Range(0, _episodes.Length).ToArray();
        if (o.Shuffle) Rng.Derive((ulong)o.Seed, 1, (ulong)o.Source, (ulong)epoch).Shuffle(order);
        long begin = o.Rank * EpisodesPerRank, end = begin + EpisodesPerRank, cum = 0;
        var slices = new List<PlanSlice>();
        foreach (int u in order)
        {
            long from = Math.Max(cum, begin), to = Math.Min(cum + _episodes[u], end);
            if (from < to) slices.Add(new PlanSlice(u, (int)(from - cum), (int)(to - cum)));
            cum += _episodes[u];
            if (cum >= end) break;
        }
        var blocks = new List<ShuffleBlock>();
        int first = 0, acc = 0;
        for (int i = 0; i < slices.Count; i++)
        {
            acc += slices[i].Count;
            if (acc >= Math.Max(1, o.ShuffleBuffer) || i == slices.Count - 1)
            {
                blocks.Add(new ShuffleBlock(first, i + 1));
                (first, acc) = (i + 1, 0);
            }
        }
        return new EpochPlan(epoch, [.. slices], [.. blocks]);
    }

    /// <summary>The generator that shuffles block <paramref name="block"/> of <paramref name="epoch"/> (saved in the loader state and checked on resume).</summary>
    public RngState ShuffleRng(int epoch, int block) =>
        Rng.Derive((ulong)Options.Seed, 2, (ulong)Options.Source, (ulong)epoch, (ulong)block).State;

    /// <summary>
    /// The order in which a block's <paramref name="count"/> episodes (concatenated in slice order) are delivered:
    /// position i delivers episode order[i]. Identity without shuffling. <paramref name="count"/> is what was actually
    /// decoded, which is less than the plan's count when a bad row group was skipped.
    /// </summary>
    public int[] BlockOrder(int epoch, int block, int count)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        if (Options.Shuffle && Options.ShuffleBuffer > 0) Rng.FromState(ShuffleRng(epoch, block)).Shuffle(order);
        return order;
    }
}
