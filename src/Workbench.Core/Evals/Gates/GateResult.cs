namespace Workbench.Evals.Gates;

/// <summary>Outcome of one regression gate; the message carries the numbers it was decided on.</summary>
public sealed record GateResult(string Name, bool Passed, string Message)
{
    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")} {Name}: {Message}";
}
