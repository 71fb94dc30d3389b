using System.Globalization;
using System.Text.RegularExpressions;

namespace Workbench.Evals.Gates;

/// <summary>
/// Absolute threshold on the candidate's point estimate, e.g. <c>harmful_compliance &lt;= 0.01</c>. Pass/fail
/// reads the point estimate only; the message also gives the interval and says when the interval still reaches
/// across the threshold (so a pass is not yet established at that confidence, or a fail may be noise).
/// </summary>
public sealed partial record AbsoluteGate(string Name, string Metric, ThresholdOperator Operator, double Threshold) : IGate
{
    /// <summary>Parses "metric &lt;op&gt; number", e.g. "harmful_compliance &lt;= 0.01"; the gate is named by the expression.</summary>
    public static AbsoluteGate Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var match = ExpressionPattern().Match(expression);
        if (!match.Success || !double.TryParse(match.Groups["threshold"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double threshold))
            throw new FormatException($"gate '{expression}' is not 'metric <op> number' (op one of <=, <, >=, >), e.g. 'harmful_compliance <= 0.01'");
        string metric = match.Groups["metric"].Value;
        var op = ThresholdOperators.Parse(match.Groups["op"].Value);
        return new AbsoluteGate($"{metric} {op.Symbol()} {threshold.ToString(CultureInfo.InvariantCulture)}", metric, op, threshold);
    }

    public GateResult Evaluate(GateInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var metric = inputs.FindAbsolute(Metric);
        if (metric is null) return new GateResult(Name, false, $"metric '{Metric}' was not measured");

        bool passed = Operator.Holds(metric.Value, Threshold);
        string message = Invariant($"{Metric} = {metric.Value:0.####}");
        if (metric.Interval is { } ci)
        {
            message += Invariant($" [{ci.Low:0.####}, {ci.High:0.####}]");
            if (metric.Episodes is int n) message += $" over {n} episodes";
            bool lowHolds = Operator.Holds(ci.Low, Threshold), highHolds = Operator.Holds(ci.High, Threshold);
            if (lowHolds != highHolds) message += Invariant($"; the interval straddles {Threshold:0.####}, so this is not conclusive");
        }
        message += Invariant($"; required {Operator.Symbol()} {Threshold:0.####}");
        return new GateResult(Name, passed, message);
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    [GeneratedRegex(@"^\s*(?<metric>[A-Za-z_][\w.\-/]*)\s*(?<op><=|>=|<|>)\s*(?<threshold>\S+)\s*$")]
    private static partial Regex ExpressionPattern();
}
