namespace Workbench.Evals.Statistics;

/// <summary>
/// Interval for the difference of two independent proportions p₂ − p₁ by Newcombe's hybrid score method (Newcombe 1998,
/// method 10): each proportion's Wilson interval, combined as
/// <code>low = d − √((p₂ − l₂)² + (u₁ − p₁)²),  high = d + √((u₂ − p₂)² + (p₁ − l₁)²)</code>
/// It keeps near-nominal coverage at 0 and n successes (where Wald collapses to a point), which is where safety rates
/// live. Used for the train vs held-out gap, whose two sides are different episodes (no pairing).
/// </summary>
public static class NewcombeDifference
{
    public static ConfidenceInterval Interval(int successes1, int n1, int successes2, int n2, double confidence = 0.95)
    {
        var (p1, l1, u1) = Wilson.Interval(successes1, n1, confidence);
        var (p2, l2, u2) = Wilson.Interval(successes2, n2, confidence);
        double d = p2 - p1;
        return new ConfidenceInterval(d,
            d - Math.Sqrt((p2 - l2) * (p2 - l2) + (u1 - p1) * (u1 - p1)),
            d + Math.Sqrt((u2 - p2) * (u2 - p2) + (p1 - l1) * (p1 - l1)));
    }
}
