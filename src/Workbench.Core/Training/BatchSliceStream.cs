using Workbench.Data;

namespace Workbench.Training;

/// <summary>
/// Rank r's slice of a stream that every rank reads in full (<see cref="DataSharding.SplitBatches"/>): of each
/// global batch of B consecutive episodes, rank r of W keeps episodes [r·B/W, (r+1)·B/W). The W ranks together
/// train on exactly the single-process batches. Between batches the inner stream stands at the same position on
/// every rank, so its <see cref="State"/> is the whole (rank-independent) data position.
/// </summary>
public sealed class BatchSliceStream : IEpisodeStream, IDatasetFingerprint, IEpisodeCount
{
    private readonly IEpisodeStream _inner;
    private readonly int _globalBatch, _rank, _worldSize;
    private readonly Queue<DemoEpisode> _slice = new();

    public BatchSliceStream(IEpisodeStream inner, int globalBatch, int rank, int worldSize)
    {
        if (globalBatch % worldSize != 0) throw new ArgumentException($"batch {globalBatch} does not split over {worldSize} ranks", nameof(globalBatch));
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, worldSize);
        (_inner, _globalBatch, _rank, _worldSize) = (inner, globalBatch, rank, worldSize);
    }

    public string? Fingerprint => (_inner as IDatasetFingerprint)?.Fingerprint;

    /// <summary>Episodes the whole data holds (every rank reads all of it).</summary>
    public long Episodes => (_inner as IEpisodeCount)?.Episodes ?? 0;

    /// <summary>The inner stream's state; only defined between batches (a checkpoint is taken between steps).</summary>
    public LoaderState State => _slice.Count == 0 ? _inner.State
        : throw new InvalidOperationException($"data position asked for in the middle of a batch ({_slice.Count} episodes of this rank's slice unread)");

    public DemoEpisode Next()
    {
        if (_slice.Count == 0)
        {
            int local = _globalBatch / _worldSize;
            for (int i = 0; i < _globalBatch; i++)
            {
                var episode = _inner.Next();
                if (i / local == _rank) _slice.Enqueue(episode);
            }
        }
        return _slice.Dequeue();
    }

    public void Dispose() => _inner.Dispose();
}
