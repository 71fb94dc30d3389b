namespace Workbench.Evals.Statistics;

/// <summary>
/// Groups item indices by cluster id (episodes that share a source: same task and seed, same level…).
/// A null id list means every item is its own cluster. Cluster order is first appearance, so results are
/// deterministic for a given input order.
/// </summary>
public static class Clusters
{
    public static int[][] Group(int count, IReadOnlyList<string>? clusterIds)
    {
        if (clusterIds is null) return Enumerable.Range(0, count).Select(i => new[] { i }).ToArray();
        if (clusterIds.Count != count)
            throw new ArgumentException($"{clusterIds.Count} cluster ids for {count} values; need one per value", nameof(clusterIds));
        var order = new List<List<int>>();
        var byId = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string id = clusterIds[i] ?? throw new ArgumentException($"cluster id {i} is null", nameof(clusterIds));
            if (!byId.TryGetValue(id, out var members))
            {
                members = new List<int>();
                byId[id] = members;
                order.Add(members);
            }
            members.Add(i);
        }
        return order.Select(m => m.ToArray()).ToArray();
    }
}
