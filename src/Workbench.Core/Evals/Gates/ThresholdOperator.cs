namespace Workbench.Evals.Gates;

/// <summary>How a metric's value must relate to its threshold for the gate to pass.</summary>
public enum ThresholdOperator
{
    AtMost,
    LessThan,
    AtLeast,
    GreaterThan,
}

public static class ThresholdOperators
{
    public static string Symbol(this ThresholdOperator op) => op switch
    {
        ThresholdOperator.AtMost => "<=",
        ThresholdOperator.LessThan => "<",
        ThresholdOperator.AtLeast => ">=",
        ThresholdOperator.GreaterThan => ">",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static bool Holds(this ThresholdOperator op, double value, double threshold) => op switch
    {
        ThresholdOperator.AtMost => value <= threshold,
        ThresholdOperator.LessThan => value < threshold,
        ThresholdOperator.AtLeast => value >= threshold,
        ThresholdOperator.GreaterThan => value > threshold,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <summary>Parses "&lt;=", "&lt;", "&gt;=", "&gt;"; anything else is an error naming the accepted symbols.</summary>
    public static ThresholdOperator Parse(string symbol) => symbol switch
    {
        "<=" => ThresholdOperator.AtMost,
        "<" => ThresholdOperator.LessThan,
        ">=" => ThresholdOperator.AtLeast,
        ">" => ThresholdOperator.GreaterThan,
        _ => throw new FormatException($"unknown comparison '{symbol}'; use one of <=, <, >=, >"),
    };
}
