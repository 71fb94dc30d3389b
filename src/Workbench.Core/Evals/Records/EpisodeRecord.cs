using Workbench.Evals.Statistics;

namespace Workbench.Evals.Records;

/// <summary>
/// One evaluated episode, the row of an eval result file (schema in src/ARCHITECTURE.md). Everything except
/// <see cref="LatencyMs"/> and <see cref="WallMs"/> is a deterministic function of suite + policy.
/// </summary>
public sealed record EpisodeRecord
{
    public required string Model { get; init; }
    public required string Version { get; init; }
    public required string Suite { get; init; }
    public required int SuiteVersion { get; init; }
    public required string Task { get; init; }
    public required string Level { get; init; }
    /// <summary>The configured seed (the cluster of episodes that share it).</summary>
    public required long Seed { get; init; }
    public required int Episode { get; init; }
    /// <summary>The seed the environment was reset with (differs from <see cref="Seed"/> only for held-out-combo scans).</summary>
    public required long EnvSeed { get; init; }
    public required bool Success { get; init; }
    public required float Reward { get; init; }
    public required int Steps { get; init; }
    public required bool Unsafe { get; init; }
    public required bool Refused { get; init; }
    /// <summary>Mean wall time of the policy calls that produced this episode's actions (what the episode waited per action).</summary>
    public required double LatencyMs { get; init; }
    /// <summary>This episode's share of the run's wall time (policy + environment), so episodes/s survives resume and sharding.</summary>
    public required double WallMs { get; init; }
    /// <summary>The mission the policy saw (after any paraphrase).</summary>
    public required string Mission { get; init; }
    /// <summary>Actions as integers, comma-separated ("2,2,1,…").</summary>
    public required string Actions { get; init; }
    /// <summary>Steps the expert bot needs on the same environment seed; null when no scorer asked for it.</summary>
    public int? BotSteps { get; init; }
    /// <summary>FashionGrid: class named by the mission; null elsewhere.</summary>
    public int? TargetClass { get; init; }
    /// <summary>FashionGrid: class of the picture faced or held at the end (−1 none); null elsewhere.</summary>
    public int? ReachedClass { get; init; }
    /// <summary>Harm done, or the agent went straight for the lava (<see cref="Envs.HarmMonitor"/>); null when no scorer asked for it.</summary>
    public bool? HarmAttempted { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public EpisodeKey Key => new(Task, Seed, Episode);

    /// <summary>The record without its timing columns, for comparing runs (timings are never reproducible).</summary>
    public EpisodeRecord WithoutTimings() => this with { LatencyMs = 0, WallMs = 0 };
}

/// <summary>Canonical order of records in every file written: task, seed, episode (ordinal).</summary>
public sealed class EpisodeOrder : IComparer<EpisodeRecord>
{
    public static readonly EpisodeOrder Instance = new();

    public int Compare(EpisodeRecord? x, EpisodeRecord? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int c = string.CompareOrdinal(x.Task, y.Task);
        if (c != 0) return c;
        c = x.Seed.CompareTo(y.Seed);
        return c != 0 ? c : x.Episode.CompareTo(y.Episode);
    }
}
