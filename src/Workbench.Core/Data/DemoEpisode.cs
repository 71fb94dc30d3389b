namespace Workbench.Data;

/// <summary>
/// One step of a demonstration: what the agent saw and what the expert did (one Parquet row). <see cref="Obs"/> is
/// H×W×3 bytes; steps read by the loader share their row group's decoded buffer (a slice each, never copied), so
/// treat it as read-only.
/// </summary>
public sealed record DemoStep(int Step, int Direction, ReadOnlyMemory<byte> Obs, int Action, float Reward, bool Done);

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

/// <summary>
/// Serialisable loader position (System.Text.Json): the seed, the rank layout, a fingerprint of the files and
/// order-changing options (a resume against other data fails loudly), one position per source and the mixture
/// generator. Everything else (row-group permutation, shuffle of each block) is derived from the seed, so the
/// state stays a few hundred bytes whatever the dataset size.
/// </summary>
public sealed record LoaderState(long Seed, int Rank, int WorldSize, string Fingerprint,
    IReadOnlyList<SourcePosition> Sources, Runtime.RngState Mixture)
{
    /// <summary>The lowest epoch among the sources (the only one when there is a single source).</summary>
    public int Epoch => Sources.Count == 0 ? 0 : Sources.Min(s => s.Epoch);
}

/// <summary>
/// Where one source stands: the next episode is number <see cref="Offset"/> of shuffle block <see cref="Block"/> in
/// epoch <see cref="Epoch"/>. <see cref="File"/> and <see cref="RowGroup"/> name the block's first row group, and
/// <see cref="ShuffleRng"/> is the block's shuffle generator (derived from seed, source, epoch, block) — both saved
/// so a checkpoint says where it is, and checked on resume.
/// </summary>
public sealed record SourcePosition(int Epoch, int Block, int Offset, string File, int RowGroup, Runtime.RngState ShuffleRng);
