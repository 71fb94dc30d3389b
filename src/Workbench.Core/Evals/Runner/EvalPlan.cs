using System.Globalization;
using Workbench.Evals.Suites;

namespace Workbench.Evals.Runner;

/// <summary>One episode to run: a task of the suite, a configured seed and the episode index within that seed.</summary>
public sealed record EvalItem(TaskConfig Task, long Seed, int Episode)
{
    public Statistics.EpisodeKey Key => new(Task.Name, Seed, Episode);
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

/// <summary>The canonical list of a suite's episodes: tasks in file order, seeds in configured order, then episodes.</summary>
public static class EvalPlan
{
    public static IReadOnlyList<EvalItem> Items(SuiteConfig suite)
    {
        var items = new List<EvalItem>();
        foreach (var task in suite.Tasks)
            foreach (long seed in task.Seeds.Resolve())
                for (int e = 0; e < suite.EpisodesOf(task); e++)
                    items.Add(new EvalItem(task, seed, e));
        return items;
    }

    public static IReadOnlyList<EvalItem> Items(SuiteConfig suite, Shard shard) =>
        Items(suite).Where((_, i) => shard.Contains(i)).ToList();
}
