using System.Globalization;
using Workbench.Evals.Suites;

namespace Workbench.Evals.Runner;

/// <summary>
/// One episode to run: a task of the suite, a configured seed and the episode index within that seed. For a task with
/// missions from a file, <see cref="Seed"/> is the mission's line (the cluster), <see cref="Mission"/> the mission and
/// <see cref="LayoutSeed"/> the environment seed of this layout.
/// </summary>
public sealed record EvalItem(TaskConfig Task, long Seed, int Episode, MissionEntry? Mission = null, long? LayoutSeed = null)
{
    public Statistics.EpisodeKey Key => new(Task.Name, Seed, Episode);

    /// <summary>The level whose layouts the episode is played in.</summary>
    public string Level => Mission?.Level ?? Task.Level;

    /// <summary>A new environment for this episode: the task's level, or the file mission in its level's layouts.</summary>
    public Envs.GridEnv CreateEnv() => Mission?.CreateEnv() ?? Envs.LevelRegistry.Create(Task.Level);
}

/// <summary>Part k of N of a suite (1-based): item i of the canonical list belongs to shard (i mod N) + 1.</summary>
public readonly record struct Shard(int Index, int Count)
{
    public static readonly Shard All = new(1, 1);

    public bool Contains(int itemIndex) => itemIndex % Count == Index - 1;

    public override string ToString() => FormattableString.Invariant($"{Index}/{Count}");

    public static Shard Parse(string text) =>
        TryParse(text) ?? throw new UserError($"--shard '{text}': expected k/N with 1 ≤ k ≤ N, e.g. 2/4");

    /// <summary>k/N with 1 ≤ k ≤ N, or null.</summary>
    public static Shard? TryParse(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && n >= 1 && k >= 1 && k <= n)
            return new Shard(k, n);
        return null;
    }
}

/// <summary>
/// The canonical list of a suite's episodes: tasks in file order, seeds in configured order, then episodes; for a
/// missions task: missions in file order, then layout seeds, then episodes.
/// </summary>
public static class EvalPlan
{
    public static IReadOnlyList<EvalItem> Items(SuiteConfig suite)
    {
        var items = new List<EvalItem>();
        foreach (var task in suite.Tasks)
        {
            int episodes = suite.EpisodesOf(task);
            var seeds = task.Seeds.Resolve();
            if (task.Missions is null)
            {
                foreach (long seed in seeds)
                    for (int e = 0; e < episodes; e++)
                        items.Add(new EvalItem(task, seed, e));
                continue;
            }
            foreach (var mission in task.MissionEntries())
                for (int k = 0; k < seeds.Count; k++)
                    for (int e = 0; e < episodes; e++)
                        items.Add(new EvalItem(task, mission.Line, k * episodes + e, mission, seeds[k]));
        }
        return items;
    }

    public static IReadOnlyList<EvalItem> Items(SuiteConfig suite, Shard shard) =>
        Items(suite).Where((_, i) => shard.Contains(i)).ToList();
}
