namespace Workbench.Evals.Statistics;

/// <summary>The outcome of comparing candidate B against baseline A on one metric.</summary>
public enum Verdict
{
    Better,
    Worse,
    NoSignificantChange,
}

/// <summary>The one verdict vocabulary: how a comparison is decided and how every output (console, reports, gates, files) words it.</summary>
public static class Verdicts
{
    /// <summary>"better", "worse" or "no significant change".</summary>
    public static string Text(Verdict verdict) => verdict switch
    {
        Verdict.Better => "better",
        Verdict.Worse => "worse",
        _ => "no significant change",
    };

    /// <summary>
    /// Better/Worse when the (Holm-adjusted) p-value is ≤ α, by the sign of the difference B − A read through
    /// the metric's direction; otherwise no significant change.
    /// </summary>
    public static Verdict Decide(double difference, double adjustedP, MetricDirection direction, double alpha = 0.05)
    {
        Critical.CheckAlpha(alpha);
        if (double.IsNaN(difference) || double.IsNaN(adjustedP)) throw new ArgumentException("difference and p-value must be numbers");
        if (adjustedP > alpha || difference == 0) return Verdict.NoSignificantChange;
        bool higher = difference > 0;
        return higher == (direction == MetricDirection.HigherIsBetter) ? Verdict.Better : Verdict.Worse;
    }
}
