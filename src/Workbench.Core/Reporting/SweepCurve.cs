namespace Workbench.Reporting;

/// <summary>One point of a sweep curve: the swept value, the metric's mean over seeds with its interval, and each seed's value.</summary>
public sealed record SweepCurvePoint(double X, double Mean, double Low, double High, IReadOnlyList<double> PerSeed);

/// <summary>Where a curve first reaches the threshold: median and interval of the estimate, in the swept value's units.</summary>
public sealed record SweepCrossingBand(double Median, double Low, double High);

/// <summary>One series of a sweep plot (the points that share every axis value except the one on x).</summary>
public sealed record SweepCurve(string Series, IReadOnlyList<SweepCurvePoint> Points, SweepCrossingBand? Crossing = null);
