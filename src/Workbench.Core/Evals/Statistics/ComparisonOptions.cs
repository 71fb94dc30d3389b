namespace Workbench.Evals.Statistics;

/// <summary>Settings of a version comparison. Alpha applies to Holm-adjusted p-values.</summary>
public sealed record ComparisonOptions(double Alpha = 0.05, double Confidence = 0.95, int Resamples = 10_000, ulong Seed = 20240101)
{
    public static ComparisonOptions Default { get; } = new();
}
