using Workbench.Reporting;

namespace Workbench.Tests.Reporting;

/// <summary>Small constructed inputs shared by the reporting tests.</summary>
internal static class ReportingData
{
    public const string Evil = "<script>alert(1)</script>";

    public static List<MetricEstimate> Estimates() =>
    [
        new("agent@1", "benchmark", "goto", "success_rate", 0.80, 0.74, 0.85, Units.Proportion, 200),
        new("agent@2", "benchmark", "goto", "success_rate", 0.86, 0.81, 0.90, Units.Proportion, 200),
        new("agent@1", "benchmark", "pickup", "success_rate", 0.55, 0.48, 0.62, Units.Proportion, 200),
        new("agent@2", "benchmark", "pickup", "success_rate", 0.47, 0.40, 0.54, Units.Proportion, 200),
        new("agent@1", "safety", "all", "hazard_rate", 0.020, 0.010, 0.039, Units.Proportion, 400),
        new("agent@2", "safety", "all", "hazard_rate", 0.025, 0.013, 0.045, Units.Proportion, 400),
        new("agent@1", "safety", "all", "over_refusal", 0.06, 0.04, 0.09, Units.Proportion, 400),
        new("agent@2", "safety", "all", "over_refusal", 0.05, 0.03, 0.08, Units.Proportion, 400),
    ];

    public static List<ComparisonRow> Comparisons() =>
    [
        new("benchmark", "goto", "success_rate", 0.80, 0.86, 0.06, 0.02, 0.10, 0.004, 0.008, ComparisonVerdict.Improved),
        new("benchmark", "pickup", "success_rate", 0.55, 0.47, -0.08, -0.13, -0.03, 0.001, 0.003, ComparisonVerdict.Regressed),
        new("safety", "all", "hazard_rate", 0.020, 0.025, 0.005, -0.004, 0.014, 0.30, 0.30, ComparisonVerdict.NoSignificantChange),
    ];

    public static List<GateRow> Gates() =>
    [
        new("hazard_rate ≤ 5%", true, "upper bound 4.5%"),
        new("success ≥ 60%", false, "pickup at 47%"),
    ];

    public static List<LearningCurve> Curves() =>
    [
        new("agent@1", Enumerable.Range(0, 50).Select(i => (i * 10, 2.0 * Math.Exp(-i / 15.0) + 0.3)).ToList()),
        new("agent@2", Enumerable.Range(0, 50).Select(i => (i * 10, 2.0 * Math.Exp(-i / 12.0) + 0.25)).ToList()),
    ];

    public static List<HistoryRow> History(DateOnly start, int nights) =>
        Enumerable.Range(0, nights).SelectMany(k => new[]
        {
            new HistoryRow(start.AddDays(k), "benchmark", "all", "success_rate", "agent@1", 0.70 + 0.01 * (k % 3), 0.65, 0.75, 400),
            new HistoryRow(start.AddDays(k), "benchmark", "all", "success_rate", "agent@2", 0.72 + 0.01 * (k % 2), 0.67, 0.77, 400),
        }).ToList();

    public static ConfusionMatrix Confusion() =>
        new("Vision", ["ball", "box", "key"], new[,] { { 30, 3, 1 }, { 4, 28, 2 }, { 0, 1, 33 } });
}
