namespace Workbench.Data;

/// <summary>One step of a demonstration: what the agent saw and what the expert did (one Parquet row).</summary>
public sealed record DemoStep(int Step, int Direction, byte[] Obs, int Action, float Reward, bool Done);

/// <summary>
/// A whole demonstration episode. Writers never split an episode across row groups, so the loader can
/// hand out episodes (needed by models with memory) and shuffle them as units.
/// </summary>
public sealed record DemoEpisode(long EpisodeId, string Level, long Seed, string Mission, DemoStep[] Steps);

/// <summary>
/// A resumable stream of episodes (the streaming Parquet loader implements it). <see cref="State"/> is
/// small and serialisable; opening a stream from a saved state yields exactly the remaining sequence.
/// </summary>
public interface IEpisodeStream : IDisposable
{
    /// <summary>Next episode; at the end of an epoch the stream moves to the next epoch (it never runs dry).</summary>
    DemoEpisode Next();

    /// <summary>Position to save in a checkpoint (JSON-serialisable).</summary>
    LoaderState State { get; }
}

/// <summary>Serialisable loader position; fields are owned by the loader implementation.</summary>
public sealed record LoaderState(long Seed, int Epoch, IReadOnlyDictionary<string, string> Position);
