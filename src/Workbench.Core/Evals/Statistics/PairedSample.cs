namespace Workbench.Evals.Statistics;

/// <summary>
/// Values of version A and version B aligned on identical episode keys (ordered by A's order), the input
/// of every paired test. Differences are B − A: positive means the candidate B scored higher.
/// </summary>
public sealed class PairedSample
{
    private PairedSample(EpisodeKey[] keys, double[] a, double[] b)
    {
        Keys = keys;
        A = a;
        B = b;
        Differences = a.Select((x, i) => b[i] - x).ToArray();
    }

    public IReadOnlyList<EpisodeKey> Keys { get; }
    public IReadOnlyList<double> A { get; }
    public IReadOnlyList<double> B { get; }
    public IReadOnlyList<double> Differences { get; }
    public int Count => Keys.Count;

    /// <summary>Cluster id of every pair under the given clustering, or null for independent episodes.</summary>
    public IReadOnlyList<string>? ClusterIds(Func<EpisodeKey, string>? clusterOf) =>
        clusterOf is null ? null : Keys.Select(clusterOf).ToArray();

    /// <summary>Pairs A and B by key; refuses unless both hold exactly the same keys, each once.</summary>
    /// <exception cref="EpisodeMismatchException">keys differ or repeat; the message lists counts and an example.</exception>
    public static PairedSample Align(IReadOnlyList<KeyedValue> a, IReadOnlyList<KeyedValue> b, string what = "metric")
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var (byKeyA, dupA) = Index(a);
        var (byKeyB, dupB) = Index(b);
        var missingInB = a.Select(v => v.Key).Where(k => !byKeyB.ContainsKey(k)).Distinct().ToList();
        var missingInA = b.Select(v => v.Key).Where(k => !byKeyA.ContainsKey(k)).Distinct().ToList();
        var duplicates = dupA.Concat(dupB).ToList();

        if (missingInA.Count + missingInB.Count + duplicates.Count > 0)
        {
            var problems = new List<string>();
            if (missingInB.Count > 0) problems.Add($"{missingInB.Count} episode(s) of A missing from B (e.g. {missingInB[0]})");
            if (missingInA.Count > 0) problems.Add($"{missingInA.Count} episode(s) of B missing from A (e.g. {missingInA[0]})");
            if (duplicates.Count > 0) problems.Add($"{duplicates.Count} duplicated episode key(s) (e.g. {duplicates[0]})");
            throw new EpisodeMismatchException(
                $"cannot compare '{what}' on paired episodes: {string.Join("; ", problems)}. " +
                "Run both versions on the same suite, seeds and episode count.",
                missingInA.Count, missingInB.Count, duplicates.Count);
        }
        if (a.Count == 0) throw new ArgumentException($"'{what}' has no episodes to compare", nameof(a));

        var keys = a.Select(v => v.Key).ToArray();
        var valuesA = a.Select(v => v.Value).ToArray();
        var valuesB = keys.Select(k => byKeyB[k]).ToArray();
        Critical.CheckFinite(valuesA, $"{what} (A)");
        Critical.CheckFinite(valuesB, $"{what} (B)");
        return new PairedSample(keys, valuesA, valuesB);
    }

    /// <summary>Pairs two equal-length lists position by position (for tests and already-aligned data).</summary>
    public static PairedSample FromAligned(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"A has {a.Count} values and B {b.Count}; paired data need equal lengths");
        var keys = Enumerable.Range(0, a.Count).Select(i => new EpisodeKey("aligned", 0, i)).ToArray();
        return Align(keys.Select((k, i) => new KeyedValue(k, a[i])).ToArray(), keys.Select((k, i) => new KeyedValue(k, b[i])).ToArray());
    }

    private static (Dictionary<EpisodeKey, double> ByKey, List<EpisodeKey> Duplicates) Index(IReadOnlyList<KeyedValue> values)
    {
        var byKey = new Dictionary<EpisodeKey, double>();
        var duplicates = new List<EpisodeKey>();
        foreach (var v in values)
            if (!byKey.TryAdd(v.Key, v.Value)) duplicates.Add(v.Key);
        return (byKey, duplicates);
    }
}
