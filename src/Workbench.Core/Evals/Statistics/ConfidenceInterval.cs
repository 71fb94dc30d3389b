namespace Workbench.Evals.Statistics;

/// <summary>A point estimate with the two ends of its confidence interval. Deconstructs as (estimate, low, high).</summary>
public readonly record struct ConfidenceInterval(double Estimate, double Low, double High)
{
    public bool Contains(double value) => value >= Low && value <= High;

    public override string ToString() => FormattableString.Invariant($"{Estimate:0.####} [{Low:0.####}, {High:0.####}]");
}
