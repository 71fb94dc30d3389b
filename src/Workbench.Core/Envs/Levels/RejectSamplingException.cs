namespace Workbench.Envs;

/// <summary>Thrown by a generator deep inside a helper to ask for another sample (BabyAI's RejectSampling); at the top level a generator may simply return null.</summary>
public sealed class RejectSamplingException(string message) : Exception(message);
