namespace Workbench.Evals.Gates;

/// <summary>Runs every gate over the same inputs and sums them up in one line for the nightly report.</summary>
public static class GateEvaluator
{
    public static IReadOnlyList<GateResult> Evaluate(IReadOnlyList<IGate> gates, GateInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(gates);
        ArgumentNullException.ThrowIfNull(inputs);
        var repeated = gates.GroupBy(g => g.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0) throw new ArgumentException($"gate names must be unique; repeated: {string.Join(", ", repeated)}", nameof(gates));
        return gates.Select(g => g.Evaluate(inputs)).ToList();
    }

    /// <summary>"all 3 gates passed" or "2 of 3 gates failed: a; b".</summary>
    public static string Summarise(IReadOnlyList<GateResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var failed = results.Where(r => !r.Passed).ToList();
        if (failed.Count == 0) return $"all {results.Count} gates passed";
        return $"{failed.Count} of {results.Count} gates failed: {string.Join("; ", failed.Select(f => $"{f.Name} ({f.Message})"))}";
    }
}
