using MathNet.Numerics.Statistics;

namespace Workbench.Tests.Evals;

/// <summary>
/// The standard error of a difference of means that ignores pairing, √(s_A²/n_A + s_B²/n_B) (sample SDs,
/// n − 1). A test helper: it shows what pairing buys: for paired data Var(d̄) = (σ_A² + σ_B² − 2σ_AB)/n, so when
/// the versions' per-episode scores are positively correlated (same hard episodes) the paired SE is smaller.
/// </summary>
internal static class Unpaired
{
    public static double StandardErrorOfDifference(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count < 2 || b.Count < 2) throw new ArgumentException("need at least two values in each group");
        return Math.Sqrt(a.Variance() / a.Count + b.Variance() / b.Count);
    }
}
