using Workbench.Data;
using Workbench.Runtime;

namespace Workbench.Training;

/// <summary>
/// <see cref="IEpisodeStream"/> over episodes held in memory: a fresh shuffle per epoch from (seed, epoch), so
/// the position (epoch, index) is the whole state and a stream opened from it continues exactly.
/// Used for generated demos and tests until the streaming Parquet loader (branch data) is merged.
/// </summary>
public sealed class InMemoryEpisodeStream : IEpisodeStream
{
    private readonly IReadOnlyList<DemoEpisode> _episodes;
    private readonly long _seed;
    private int _epoch, _index;
    private int[] _order = [];

    public InMemoryEpisodeStream(IReadOnlyList<DemoEpisode> episodes, long seed, LoaderState? state = null)
    {
        if (episodes.Count == 0) throw new ArgumentException("no episodes", nameof(episodes));
        _episodes = episodes;
        _seed = state?.Seed ?? seed;
        _epoch = state?.Epoch ?? 0;
        _index = state is null || state.Sources.Count == 0 ? 0 : state.Sources[0].Offset;
        Shuffle();
    }

    /// <summary>One in-memory "source": epoch and offset in that epoch's permutation are the whole position.</summary>
    public LoaderState State => new(_seed, Rank: 0, WorldSize: 1, Fingerprint: "in-memory",
        [new SourcePosition(_epoch, Block: 0, _index, File: "in-memory", RowGroup: 0, default)], default);

    public DemoEpisode Next()
    {
        if (_index == _order.Length) { _epoch++; _index = 0; Shuffle(); }
        return _episodes[_order[_index++]];
    }

    private void Shuffle()
    {
        _order = Enumerable.Range(0, _episodes.Count).ToArray();
        Rng.Derive((ulong)_seed, (ulong)_epoch).Shuffle(_order);
    }

    public void Dispose() { }
}
