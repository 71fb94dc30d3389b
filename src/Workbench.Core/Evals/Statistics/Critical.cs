using MathNet.Numerics.Distributions;

namespace Workbench.Evals.Statistics;

/// <summary>Two-sided critical values and the argument checks every estimator shares.</summary>
public static class Critical
{
    /// <summary>z such that P(|Z| ≤ z) = confidence, e.g. 1.959964 for 0.95.</summary>
    public static double Z(double confidence)
    {
        CheckConfidence(confidence);
        return Normal.InvCDF(0, 1, 1 - (1 - confidence) / 2);
    }

    /// <summary>t such that P(|T_df| ≤ t) = confidence.</summary>
    public static double T(double confidence, double degreesOfFreedom)
    {
        CheckConfidence(confidence);
        if (!(degreesOfFreedom > 0)) throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "must be > 0");
        return StudentT.InvCDF(0, 1, degreesOfFreedom, 1 - (1 - confidence) / 2);
    }

    /// <summary>The one-sided normal quantile z_(1−power) used by sample-size formulas (0.8416 for power 0.8).</summary>
    internal static double ZPower(double power)
    {
        if (!(power > 0 && power < 1)) throw new ArgumentOutOfRangeException(nameof(power), power, "must be in (0, 1)");
        return Normal.InvCDF(0, 1, power);
    }

    internal static void CheckConfidence(double confidence)
    {
        if (!(confidence > 0 && confidence < 1))
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "must be in (0, 1), e.g. 0.95");
    }

    internal static void CheckAlpha(double alpha)
    {
        if (!(alpha > 0 && alpha < 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "must be in (0, 1), e.g. 0.05");
    }

    internal static void CheckFinite(IReadOnlyList<double> values, string name)
    {
        for (int i = 0; i < values.Count; i++)
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"{name}[{i}] is {values[i]}; statistics need finite values (a missing grade is an error, not a silent zero)", name);
    }
}
