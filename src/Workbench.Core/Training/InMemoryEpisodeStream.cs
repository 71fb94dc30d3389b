using Workbench.Data;
using Workbench.Runtime;

namespace Workbench.Training;

/// <summary>
/// <see cref="IEpisodeStream"/> over episodes held in memory (generated bot: demos, tests): a fresh shuffle per epoch
/// from (seed, epoch), so the position (epoch, index) is the whole state and a stream opened from it continues exactly.
/// Sharded like the streaming loader: rank r of W takes positions [r·m, (r+1)·m) of each epoch's permutation,
/// m = ⌊E/W⌋ (disjoint, equal counts, fewer than W episodes per epoch left out).
/// </summary>
public sealed class InMemoryEpisodeStream : IEpisodeStream
{
    private readonly IReadOnlyList<DemoEpisode> _episodes;
    private readonly long _seed;
    private readonly int _rank, _worldSize, _perRank;
    private int _epoch, _index;
    private int[] _order = [];

    public InMemoryEpisodeStream(IReadOnlyList<DemoEpisode> episodes, long seed, LoaderState? state = null, int rank = 0, int worldSize = 1)
    {
        if (episodes.Count == 0) throw new ArgumentException("no episodes", nameof(episodes));
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, worldSize);
        _perRank = episodes.Count / worldSize;
        if (_perRank == 0) throw new UserError($"data: {episodes.Count} generated episodes cannot be shared by {worldSize} ranks");
        if (state is not null && (state.Rank != rank || state.WorldSize != worldSize))
            throw new UserError($"cannot resume the data stream from the saved state: rank {state.Rank}/{state.WorldSize} ≠ {rank}/{worldSize}");
        _episodes = episodes;
        (_rank, _worldSize) = (rank, worldSize);
        _seed = state?.Seed ?? seed;
        _epoch = state?.Epoch ?? 0;
        _index = state is null || state.Sources.Count == 0 ? 0 : state.Sources[0].Offset;
        Shuffle();
    }

    /// <summary>One in-memory "source": epoch and offset in this rank's part of that epoch's permutation are the whole position.</summary>
    public LoaderState State => new(_seed, _rank, _worldSize, Fingerprint: "in-memory",
        [new SourcePosition(_epoch, Block: 0, _index, File: "in-memory", RowGroup: 0, default)], default);

    public DemoEpisode Next()
    {
        if (_index == _perRank) { _epoch++; _index = 0; Shuffle(); }
        return _episodes[_order[_rank * _perRank + _index++]];
    }

    private void Shuffle()
    {
        _order = Enumerable.Range(0, _episodes.Count).ToArray();
        Rng.Derive((ulong)_seed, (ulong)_epoch).Shuffle(_order);
    }

    public void Dispose() { }
}
