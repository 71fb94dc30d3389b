namespace Workbench.Evals.Statistics;

/// <summary>Identity of one eval episode, the unit two versions are paired on: (task, seed, episode).</summary>
public readonly record struct EpisodeKey(string Task, long Seed, long Episode)
{
    /// <summary>Cluster id "task/seed": episodes that share a task and seed share a source (Miller 2024, §clustering).</summary>
    public static string ByTaskAndSeed(EpisodeKey key) => $"{key.Task}/{key.Seed}";

    /// <summary>Cluster id "task": every episode of a task in one cluster.</summary>
    public static string ByTask(EpisodeKey key) => key.Task;

    public override string ToString() => $"{Task}/seed={Seed}/episode={Episode}";
}

/// <summary>One metric value of one episode.</summary>
public readonly record struct KeyedValue(EpisodeKey Key, double Value);
