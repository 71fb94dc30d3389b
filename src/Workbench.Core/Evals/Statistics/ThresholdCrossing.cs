using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using Workbench.Runtime;

namespace Workbench.Evals.Statistics;

/// <summary>
/// Where a metric first reaches a threshold along a swept value, with a credible interval. <see cref="Low"/> and
/// <see cref="High"/> are the 1st and 99th percentiles of the posterior of the first crossing (what BabyAI reports as
/// its "99% credible interval"), <see cref="Median"/> its median, all in the swept value's own units.
/// <see cref="ProbabilityInRange"/> is the posterior probability that the crossing lies inside the swept range at
/// all; the percentiles are conditional on it.
/// </summary>
public sealed record CrossingEstimate(double Median, double Low, double High, double ProbabilityInRange, int Points, IReadOnlyList<string> Warnings);

/// <summary>
/// The sample-efficiency estimate of BabyAI (Chevalier-Boisvert et al., ICLR 2019; <c>estimate_sample_efficiency</c> in
/// mila-iqia/babyai <c>babyai/plotting.py</c>): Gaussian-process regression of <c>100·(metric − threshold)</c> on
/// x (log2 of the number of demonstrations there) with an RBF kernel plus white noise (zero prior mean,
/// hyperparameters by maximum marginal likelihood, noise level within [1e-10, 10]); the latent function's posterior
/// on a grid of step 0.02 over the observed x range; the posterior of N_min = the first grid point where the
/// function is above 0; and its 1st–99th percentile interval. BabyAI first drops the lowest-x points while at least
/// five points stay above the threshold and five within [0.95, 0.99), since the stationary GP fits the plateau
/// badly; that is done here too.
/// <para>
/// Two differences, both deliberate: the crossing probabilities are estimated by sampling the posterior
/// (<see cref="Samples"/> draws, seeded, so the result is deterministic) instead of the multivariate normal CDF, and
/// too few points near the threshold give a warning instead of an error, so small sweeps still report something.
/// </para>
/// </summary>
public static class ThresholdCrossing
{
    public const double GridStep = 0.02;
    public const int Samples = 4000;
    private const int MinPoints = 5;
    private const double AlmostMargin = 0.04; // BabyAI: "almost" = within [0.95, 0.99) for a 0.99 threshold

    /// <param name="x">swept value of each run, already on the scale the GP works on (log2 for demonstration counts)</param>
    /// <param name="y">the metric of each run (seeds are separate points)</param>
    /// <param name="fromScale">maps the GP's scale back to the swept value's units (e.g. v ↦ 2^v)</param>
    /// <returns>null when the fit is impossible (fewer than two distinct x values)</returns>
    public static CrossingEstimate? Estimate(IReadOnlyList<double> x, IReadOnlyList<double> y, double threshold, Func<double, double>? fromScale = null,
        ulong seed = 20190506)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"{x.Count} x values but {y.Count} y values", nameof(y));
        Critical.CheckFinite(x, nameof(x));
        Critical.CheckFinite(y, nameof(y));
        fromScale ??= v => v;
        var points = x.Zip(y).OrderBy(p => p.First).ToList();
        var warnings = new List<string>();

        int Above(IEnumerable<(double, double Y)> ps) => ps.Count(p => p.Y > threshold);
        int Almost(IEnumerable<(double, double Y)> ps) => ps.Count(p => p.Y > threshold - AlmostMargin && p.Y <= threshold);
        if (Above(points) < MinPoints) warnings.Add($"{Above(points)} runs above {threshold:0.###}; BabyAI asks for at least {MinPoints} (run more data)");
        if (Almost(points) < MinPoints) warnings.Add($"{Almost(points)} runs within {AlmostMargin:0.##} below the threshold; BabyAI asks for at least {MinPoints} (run points closer to it)");
        while (points.Count > 2 && Above(points.Skip(1)) >= MinPoints && Almost(points.Skip(1)) >= MinPoints) points.RemoveAt(0);

        double[] xs = points.Select(p => p.First).ToArray();
        double[] ys = points.Select(p => 100 * (p.Second - threshold)).ToArray();
        if (xs.Distinct().Count() < 2) return null;

        var gp = GaussianProcess.Fit(xs, ys);
        int steps = (int)Math.Floor((xs[^1] - xs[0]) / GridStep);
        var grid = Enumerable.Range(0, steps + 1).Select(i => xs[0] + i * GridStep).ToArray();
        var (mean, cov) = gp.PosteriorLatent(grid);

        // Sample latent functions on the grid; the first grid point above zero is that sample's crossing.
        var chol = Cholesky(cov);
        var rng = new Rng(seed);
        var crossings = new List<double>(Samples);
        var z = new double[grid.Length];
        for (int s = 0; s < Samples; s++)
        {
            for (int i = 0; i < z.Length; i++) z[i] = StandardNormal(rng);
            for (int i = 0; i < grid.Length; i++)
            {
                double f = mean[i];
                for (int k = 0; k <= i; k++) f += chol[i, k] * z[k];
                if (f > 0) { crossings.Add(grid[i]); break; }
            }
        }
        double inRange = (double)crossings.Count / Samples;
        if (crossings.Count == 0)
            return new CrossingEstimate(double.NaN, double.NaN, double.NaN, 0, xs.Length, [.. warnings, "the posterior never reaches the threshold inside the swept range"]);
        crossings.Sort();
        double Quantile(double q) => crossings[Math.Min(crossings.Count - 1, (int)Math.Floor(q * crossings.Count))];
        if (inRange < 0.99) warnings.Add($"only {inRange:P0} of the posterior crosses inside the swept range; widen the sweep");
        return new CrossingEstimate(fromScale(Quantile(0.5)), fromScale(Quantile(0.01)), fromScale(Quantile(0.99)), inRange, xs.Length, warnings);
    }

    private static double StandardNormal(Rng rng)
    {
        // Box–Muller; 1 − u keeps the logarithm finite.
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static Matrix<double> Cholesky(Matrix<double> cov)
    {
        // Jitter as BabyAI (1e-6 on the diagonal), more when rounding leaves the matrix not quite positive definite.
        for (double jitter = 1e-6; ; jitter *= 10)
        {
            try
            {
                return (cov + Matrix<double>.Build.DenseIdentity(cov.RowCount) * jitter).Cholesky().Factor;
            }
            catch (ArgumentException) when (jitter < 1)
            {
            }
        }
    }
}

/// <summary>
/// One-dimensional Gaussian-process regression, k(a, b) = c·exp(−(a − b)²/(2ℓ²)) + σ²·[a = b], zero prior mean;
/// (c, ℓ, σ²) maximise the log marginal likelihood (Rasmussen &amp; Williams 2006, eq. 2.30) within scikit-learn's
/// default bounds (c, ℓ ∈ [1e-5, 1e5]) and BabyAI's noise bounds (σ² ∈ [1e-10, 10]): a grid search in log space,
/// refined by Nelder–Mead.
/// </summary>
internal sealed class GaussianProcess
{
    private static readonly (double Low, double High)[] Bounds = [(1e-5, 1e5), (1e-5, 1e5), (1e-10, 10)];

    private readonly double[] _x;
    private readonly Vector<double> _alpha;
    private readonly Matrix<double> _chol;
    public double Amplitude { get; }
    public double LengthScale { get; }
    public double Noise { get; }

    private GaussianProcess(double[] x, double[] y, double amplitude, double length, double noise)
    {
        (_x, Amplitude, LengthScale, Noise) = (x, amplitude, length, noise);
        _chol = Covariance(x, amplitude, length, noise).Cholesky().Factor;
        _alpha = SolveCholesky(_chol, Vector<double>.Build.DenseOfArray(y));
    }

    public static GaussianProcess Fit(double[] x, double[] y)
    {
        // A coarse grid over the bounds (log space) finds the basin; Nelder–Mead refines from its best point. The
        // likelihood is flat where a bound clamps, where the simplex may not converge: the grid's best point then stands.
        double Objective(Vector<double> theta) => -LogMarginalLikelihood(x, y, Unpack(theta));
        var best = Vector<double>.Build.Dense(3);
        double bestValue = double.PositiveInfinity;
        foreach (double c in Steps(0, 7))
        foreach (double l in Steps(1, 9))
        foreach (double n in Steps(2, 7))
        {
            var theta = Vector<double>.Build.DenseOfArray([c, l, n]);
            double value = Objective(theta);
            if (value < bestValue) (best, bestValue) = (theta, value);
        }
        try
        {
            var refined = NelderMeadSimplex.Minimum(ObjectiveFunction.Value(Objective), best, Vector<double>.Build.Dense(3, 0.5), 1e-9, 2000);
            if (refined.FunctionInfoAtMinimum.Value < bestValue) best = refined.MinimizingPoint;
        }
        catch (MaximumIterationsException)
        {
        }
        var (amplitude, length, noise) = Unpack(best);
        return new GaussianProcess(x, y, amplitude, length, noise);
    }

    /// <summary><paramref name="count"/> points evenly spread over the log of bound <paramref name="index"/>.</summary>
    private static IEnumerable<double> Steps(int index, int count)
    {
        double lo = Math.Log(Bounds[index].Low), hi = Math.Log(Bounds[index].High);
        return Enumerable.Range(0, count).Select(i => lo + (hi - lo) * i / (count - 1));
    }

    /// <summary>Posterior mean and covariance of the latent function (without the noise term) at <paramref name="grid"/>.</summary>
    public (double[] Mean, Matrix<double> Covariance) PosteriorLatent(double[] grid)
    {
        var cross = Matrix<double>.Build.Dense(_x.Length, grid.Length, (i, j) => Rbf(_x[i], grid[j], Amplitude, LengthScale)); // (n, g)
        var mean = cross.TransposeThisAndMultiply(_alpha);                                                                   // (g)
        var v = _chol.Solve(cross);                                                                                          // L⁻¹K*, (n, g)
        var prior = Matrix<double>.Build.Dense(grid.Length, grid.Length, (i, j) => Rbf(grid[i], grid[j], Amplitude, LengthScale));
        return (mean.ToArray(), prior - v.TransposeThisAndMultiply(v));
    }

    private static (double C, double L, double N) Unpack(Vector<double> theta)
    {
        double Clamp(int i) => Math.Clamp(Math.Exp(theta[i]), Bounds[i].Low, Bounds[i].High);
        return (Clamp(0), Clamp(1), Clamp(2));
    }

    private static double LogMarginalLikelihood(double[] x, double[] y, (double C, double L, double N) p)
    {
        Matrix<double> chol;
        try
        {
            chol = Covariance(x, p.C, p.L, p.N).Cholesky().Factor;
        }
        catch (ArgumentException)
        {
            return double.NegativeInfinity;
        }
        var alpha = SolveCholesky(chol, Vector<double>.Build.DenseOfArray(y));
        double logDet = 0;
        for (int i = 0; i < x.Length; i++) logDet += Math.Log(chol[i, i]);
        double fit = 0;
        for (int i = 0; i < y.Length; i++) fit += y[i] * alpha[i];
        return -0.5 * fit - logDet - 0.5 * x.Length * Math.Log(2 * Math.PI);
    }

    private static Matrix<double> Covariance(double[] x, double c, double l, double noise) =>
        Matrix<double>.Build.Dense(x.Length, x.Length, (i, j) => Rbf(x[i], x[j], c, l) + (i == j ? noise : 0));

    private static double Rbf(double a, double b, double c, double l) => c * Math.Exp(-(a - b) * (a - b) / (2 * l * l));

    /// <summary>(L Lᵀ)⁻¹ b for the lower Cholesky factor L.</summary>
    private static Vector<double> SolveCholesky(Matrix<double> l, Vector<double> b) => l.Transpose().Solve(l.Solve(b));

}
