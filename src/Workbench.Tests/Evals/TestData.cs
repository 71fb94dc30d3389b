using Workbench.Evals.Statistics;
using Workbench.Runtime;

namespace Workbench.Tests.Evals;

/// <summary>Published data sets and seeded generators shared by the statistics tests.</summary>
internal static class TestData
{
    /// <summary>
    /// Darwin's Zea mays: cross- minus self-fertilised plant heights of 15 pairs, in eighths of an inch, as analysed
    /// by Fisher (1935), The Design of Experiments, ch. III.
    /// </summary>
    public static readonly double[] DarwinDifferences = [49, -67, 8, 16, 6, 23, 28, 41, 14, 29, 56, 24, 75, 60, -48];

    /// <summary>Efron &amp; Tibshirani (1993), An Introduction to the Bootstrap, Table 2.1: mouse survival, treatment group.</summary>
    public static readonly double[] MouseTreatment = [94, 197, 16, 38, 99, 141, 23];

    /// <summary>Standard normal draws by Box–Muller from the workbench Rng.</summary>
    public static double Gaussian(Rng rng)
    {
        double u1 = 1.0 - rng.NextDouble(); // (0, 1]
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static KeyedValue[] Keyed(IReadOnlyList<double> values, string task = "t")
        => values.Select((v, i) => new KeyedValue(new EpisodeKey(task, i / 4, i), v)).ToArray();

    /// <summary>A paired sample with the given counts of (A, B) outcomes: both succeed, only A, only B, neither.</summary>
    public static PairedSample BinaryTable(int both, int onlyA, int onlyB, int neither)
    {
        var a = new List<double>();
        var b = new List<double>();
        void Add(int count, double x, double y) { for (int i = 0; i < count; i++) { a.Add(x); b.Add(y); } }
        Add(both, 1, 1);
        Add(onlyA, 1, 0);
        Add(onlyB, 0, 1);
        Add(neither, 0, 0);
        return PairedSample.FromAligned(a, b);
    }
}
