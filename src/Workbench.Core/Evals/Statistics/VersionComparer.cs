using MathNet.Numerics.Distributions;

namespace Workbench.Evals.Statistics;

/// <summary>
/// Compares two versions metric by metric on the same episodes (Miller 2024: paired differences, clustered
/// where episodes share a source) and corrects across metrics with Holm.
/// <list type="bullet">
/// <item>Binary, independent episodes: exact McNemar p; paired Wald interval of p_B − p_A.</item>
/// <item>Binary, clustered: Miller's clustered SE of the paired differences; z-test p and normal interval
/// (McNemar assumes independent pairs, so it is not used there).</item>
/// <item>Continuous: paired (cluster) bootstrap percentile interval of the mean difference; sign-flip
/// permutation p (clusters flipped together).</item>
/// </list>
/// Each metric's random stream is derived from the seed and the metric's name, so adding or reordering
/// metrics does not change another metric's result.
/// </summary>
public static class VersionComparer
{
    public static IReadOnlyList<MetricComparison> Compare(IReadOnlyList<PairedMetric> metrics, ComparisonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        options ??= ComparisonOptions.Default;
        Critical.CheckAlpha(options.Alpha);
        Critical.CheckConfidence(options.Confidence);
        var repeated = metrics.GroupBy(m => m.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0) throw new ArgumentException($"metric names must be unique; repeated: {string.Join(", ", repeated)}", nameof(metrics));

        var raw = metrics.Select(m => CompareOne(m, options)).ToList();
        double[] adjusted = Holm.Adjust(raw.Select(r => r.PValue).ToArray());
        return raw.Select((r, i) => r with
        {
            AdjustedP = adjusted[i],
            Verdict = Verdicts.Decide(r.Difference, adjusted[i], metrics[i].Direction, options.Alpha),
        }).ToList();
    }

    private static MetricComparison CompareOne(PairedMetric metric, ComparisonOptions options)
    {
        var sample = PairedSample.Align(metric.A, metric.B, metric.Name);
        var clusterIds = sample.ClusterIds(metric.ClusterOf);
        double valueA = sample.A.Average(), valueB = sample.B.Average();
        return metric.Kind switch
        {
            MetricKind.Binary => CompareBinary(metric.Name, sample, clusterIds, valueA, valueB, options),
            MetricKind.Continuous => CompareContinuous(metric.Name, sample, clusterIds, valueA, valueB, options),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric.Kind, "unknown metric kind"),
        };
    }

    private static MetricComparison CompareBinary(string name, PairedSample sample, IReadOnlyList<string>? clusterIds,
        double valueA, double valueB, ComparisonOptions options)
    {
        var counts = McNemar.Count(sample);
        var diff = PairedProportions.Difference(sample, clusterIds, options.Confidence);
        bool clustered = diff.ClusterCount < diff.Count;
        double p;
        string test, method;
        if (clustered)
        {
            p = diff.StandardError > 0 ? 2 * (1 - Normal.CDF(0, 1, Math.Abs(diff.Mean) / diff.StandardError)) : (diff.Mean == 0 ? 1 : 0);
            test = $"clustered z-test on paired differences ({diff.ClusterCount} clusters, n = {diff.Count})";
            method = "clustered z";
        }
        else
        {
            p = McNemar.ExactPValue(counts.OnlyA, counts.OnlyB);
            test = $"exact McNemar (b = {counts.OnlyA}, c = {counts.OnlyB}, n = {counts.Total}); paired Wald interval";
            method = "exact McNemar";
        }
        return new MetricComparison(name, valueA, valueB, diff.Mean, diff.Low, diff.High, p, p, Verdict.NoSignificantChange, test, method);
    }

    private static MetricComparison CompareContinuous(string name, PairedSample sample, IReadOnlyList<string>? clusterIds,
        double valueA, double valueB, ComparisonOptions options)
    {
        var result = PairedBootstrap.Compare(sample, options.Resamples, options.Confidence, SeedFor(options.Seed, name), clusterIds);
        int clusters = Clusters.Group(sample.Count, clusterIds).Length;
        string unit = clusters < sample.Count ? $"{clusters} clusters, n = {sample.Count}" : $"n = {sample.Count}";
        string test = $"paired bootstrap percentile interval + sign-flip permutation p ({options.Resamples} resamples, {unit})";
        if (sample.Count >= 2)
            test += FormattableString.Invariant($"; paired t-test p = {PValueText.Format(PairedTTest.Test(sample, options.Confidence).PValue)} (ignores clusters)");
        return new MetricComparison(name, valueA, valueB, result.MeanDifference, result.Low, result.High, result.PValue, result.PValue,
            Verdict.NoSignificantChange, test, "paired bootstrap");
    }

    // FNV-1a of the name: string.GetHashCode is randomised per process.
    private static ulong SeedFor(ulong seed, string name)
    {
        ulong h = 14695981039346656037UL;
        foreach (char ch in name)
        {
            h ^= ch;
            h *= 1099511628211UL;
        }
        return Workbench.Runtime.Rng.Derive(seed, h).NextULong();
    }
}
