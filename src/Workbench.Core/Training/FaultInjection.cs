using System.Globalization;
using TorchSharp.Modules;

namespace Workbench.Training;

/// <summary>
/// Test hooks that drive failure paths no valid config can reach, so they are tested end to end through the CLI.
/// Set from the environment so a test (or a user checking their tooling) can use the real `workbench` binary.
/// </summary>
public static class FaultInjection
{
    public const string NanAtStepVariable = "WORKBENCH_FAULT_NAN_AT_STEP";

    /// <summary>The step at which to poison gradients, from <c>$WORKBENCH_FAULT_NAN_AT_STEP</c> (null when unset).</summary>
    public static int? NanAtStep()
    {
        string? text = Environment.GetEnvironmentVariable(NanAtStepVariable);
        if (string.IsNullOrEmpty(text)) return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int step) && step > 0
            ? step
            : throw new UserError($"${NanAtStepVariable}='{text}': expected a step number ≥ 1");
    }

    /// <summary>Fills every gradient with NaN (what a diverged backward pass leaves).</summary>
    public static void PoisonGradients(IEnumerable<Parameter> parameters)
    {
        foreach (var p in parameters) p.grad?.fill_(double.NaN);
    }
}
