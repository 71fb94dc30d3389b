namespace Workbench.Evals.Gates;

/// <summary>
/// A regression gate. A metric the gate needs but the inputs lack is a FAILED gate with that reason, never
/// a silent pass.
/// </summary>
public interface IGate
{
    string Name { get; }

    GateResult Evaluate(GateInputs inputs);
}
