using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;
using Workbench.Evals.Statistics;

namespace Workbench.Evals.Records;

/// <summary>
/// One evaluated episode, the row of an eval result file (schema in src/ARCHITECTURE.md, "Episode records"). The
/// column names are the <see cref="JsonPropertyNameAttribute"/>s below, written once: Parquet.Net's serializer
/// (<see cref="EpisodeRecordFile"/>) and the journal's JSON lines both use them. Everything except
/// <see cref="LatencyMs"/> and <see cref="WallMs"/> is a deterministic function of suite + policy (+ code commit).
/// </summary>
public sealed record EpisodeRecord
{
    [JsonPropertyName("model"), ParquetRequired] public string Model { get; init; } = "";
    [JsonPropertyName("version"), ParquetRequired] public string Version { get; init; } = "";
    [JsonPropertyName("suite"), ParquetRequired] public string Suite { get; init; } = "";
    [JsonPropertyName("suite_version")] public int SuiteVersion { get; init; }
    [JsonPropertyName("task"), ParquetRequired] public string Task { get; init; } = "";
    [JsonPropertyName("level"), ParquetRequired] public string Level { get; init; } = "";
    /// <summary>The configured seed (the cluster of episodes that share it).</summary>
    [JsonPropertyName("seed")] public long Seed { get; init; }
    [JsonPropertyName("episode")] public int Episode { get; init; }
    /// <summary>The seed the environment was reset with (differs from <see cref="Seed"/> only for held-out-combo scans).</summary>
    [JsonPropertyName("env_seed")] public long EnvSeed { get; init; }
    [JsonPropertyName("success")] public bool Success { get; init; }
    [JsonPropertyName("reward")] public float Reward { get; init; }
    [JsonPropertyName("steps")] public int Steps { get; init; }
    [JsonPropertyName("unsafe")] public bool Unsafe { get; init; }
    [JsonPropertyName("refused")] public bool Refused { get; init; }
    /// <summary>Mean per action of the batched step that chose it: rendering the policy's observation (pixels) + the policy call.</summary>
    [JsonPropertyName("latency_ms")] public double LatencyMs { get; init; }
    /// <summary>This episode's share of the run's wall time (policy + environment), so episodes/s survives resume and sharding.</summary>
    [JsonPropertyName("wall_ms")] public double WallMs { get; init; }
    /// <summary>The mission the policy saw (after any paraphrase).</summary>
    [JsonPropertyName("mission"), ParquetRequired] public string Mission { get; init; } = "";
    /// <summary>Actions as integers, comma-separated ("2,2,1,…").</summary>
    [JsonPropertyName("actions"), ParquetRequired] public string Actions { get; init; } = "";
    /// <summary>Steps the expert bot needs on the same environment seed; null when no scorer asked for it.</summary>
    [JsonPropertyName("bot_steps")] public int? BotSteps { get; init; }
    /// <summary>FashionGrid: class named by the mission; null elsewhere.</summary>
    [JsonPropertyName("target_class")] public int? TargetClass { get; init; }
    /// <summary>FashionGrid: class of the picture faced or held at the end (−1 none); null elsewhere.</summary>
    [JsonPropertyName("reached_class")] public int? ReachedClass { get; init; }
    /// <summary>FashionGrid: class of the first picture the agent faced or picked up (−1 none); null elsewhere. What it chose
    /// first, before any search: the column that tells seeing from visiting every picture in turn.</summary>
    [JsonPropertyName("first_faced_class")] public int? FirstFacedClass { get; init; }
    /// <summary>Harm done, or the agent went straight for the lava (<see cref="Envs.HarmMonitor"/>); null when no scorer asked for it.</summary>
    [JsonPropertyName("harm_attempted")] public bool? HarmAttempted { get; init; }
    /// <summary>sha256 of the model version's checkpoint file (registry/&lt;name&gt;/&lt;version&gt;/model.ckpt); "" for bot and random.</summary>
    [JsonPropertyName("checkpoint_sha256"), ParquetRequired] public string CheckpointSha256 { get; init; } = "";
    /// <summary>sha256 of the resolved suite (<see cref="LoadedSuite.Sha256"/>: the file after includes, --set and --episodes).</summary>
    [JsonPropertyName("suite_sha256"), ParquetRequired] public string SuiteSha256 { get; init; } = "";
    /// <summary>git commit of the code that ran the episode ("…-dirty" with uncommitted changes, "unknown" without git).</summary>
    [JsonPropertyName("code_commit"), ParquetRequired] public string CodeCommit { get; init; } = "";

    [JsonIgnore, ParquetIgnore]
    public EpisodeKey Key => new(Task, Seed, Episode);

    /// <summary>What produced this episode (checkpoint, suite content, code).</summary>
    [JsonIgnore, ParquetIgnore]
    public Provenance Provenance => new(CheckpointSha256, SuiteSha256, CodeCommit);

    /// <summary>The record without its timing columns, for comparing runs (timings are never reproducible).</summary>
    public EpisodeRecord WithoutTimings() => this with { LatencyMs = 0, WallMs = 0 };
}

/// <summary>
/// What produced a result: the model version's checkpoint (sha256 of the file; "" for built-in policies), the resolved
/// suite (sha256) and the code commit. Results are reused only when the first two still match what the registry and
/// the suite file say now; the commit is recorded (every commit would otherwise invalidate every result).
/// </summary>
public sealed record Provenance(string CheckpointSha256, string SuiteSha256, string CodeCommit)
{
    /// <summary>The first 16 hex digits, as messages and reports name a hash ("none" for an empty one).</summary>
    public static string Short(string sha) => sha.Length == 0 ? "none" : sha.Length > 16 ? sha[..16] : sha;

    /// <summary>The commit of the code running now: <c>git rev-parse HEAD</c>, "-dirty" when tracked files changed, "unknown" without git.</summary>
    public static string CurrentCommit()
    {
        string? commit = Runtime.GitInfo.Commit();
        if (commit is null) return "unknown";
        return Runtime.GitInfo.Dirty() == true ? commit + "-dirty" : commit;
    }
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
