namespace Workbench.Evals.Statistics;

/// <summary>
/// Difference of two paired proportions p_B − p_A with its interval.
/// <para>
/// The per-episode difference d_i = b_i − a_i ∈ {−1, 0, 1} has mean p_B − p_A, so the interval is the
/// clustered mean of d (<see cref="ClusteredMean"/>). With independent episodes this is exactly the paired
/// Wald interval of Agresti (2002, §10.1.1): SE = √((b + c) − (b − c)²/n)/n. With clusters it is Miller's
/// clustered SE of the paired differences.
/// </para>
/// </summary>
public static class PairedProportions
{
    public static ClusteredEstimate Difference(PairedSample sample, IReadOnlyList<string>? clusterIds = null, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(sample);
        McNemar.Count(sample); // validates 0/1
        var estimate = ClusteredMean.Estimate(sample.Differences, clusterIds, confidence);
        // A difference of proportions lies in [−1, 1]; the Wald interval can overshoot near the edges, so clip it.
        return estimate with { Low = Math.Max(-1, estimate.Low), High = Math.Min(1, estimate.High) };
    }
}
