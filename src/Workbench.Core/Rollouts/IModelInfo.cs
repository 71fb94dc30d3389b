namespace Workbench.Rollouts;

/// <summary>
/// Optional facts about the model behind a policy, for the efficiency suite. A policy that does not implement
/// it (the bot, random) gets "n/a" for these metrics instead of a made-up number.
/// </summary>
public interface IModelInfo
{
    /// <summary>Trainable parameters; null when unknown.</summary>
    long? Parameters { get; }

    /// <summary>Forward-pass FLOPs to produce one action for one episode (<c>Models.FlopCounter</c>); null when unknown.</summary>
    double? FlopsPerAction { get; }

    /// <summary>sha256 of the checkpoint file the weights were loaded from; null when they were not loaded from one.</summary>
    string? CheckpointSha256 { get; }
}

/// <summary>
/// Optional: a policy whose choices are random (sampling, the random baseline) implements this so the runner can
/// key its randomness by episode instead of by slot; then batching, sharding and resuming do not change results.
/// </summary>
public interface IEpisodeAware
{
    /// <summary>Called when <paramref name="slot"/> starts episode (<paramref name="task"/>, <paramref name="seed"/>, <paramref name="episode"/>), after ResetSlot.</summary>
    void BeginEpisode(int slot, string task, long seed, int episode);
}
