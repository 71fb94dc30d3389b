using Workbench.Rollouts;
using Workbench.Training;

namespace Workbench.Evals.Policies;

/// <summary>
/// Resolves <c>name@version</c> from the model registry into a <see cref="ModelPolicy"/> that knows its checkpoint's
/// sha256 (so eval records carry it); the registry refuses a checkpoint that is not what version.json registered.
/// </summary>
public sealed class ModelVersionPolicyResolver(string? registryRoot = null) : IPolicyResolver
{
    public string Accepts => "name@version from the model registry (workbench models list)";

    public IPolicy? TryCreate(Runner.PolicyId id)
    {
        if (string.IsNullOrEmpty(id.Version)) return null;
        var resolved = ModelVersions.Load($"{id.Model}@{id.Version}", registryRoot);
        return new ModelPolicy(id.Spec, resolved.Model) { CheckpointSha256 = resolved.CheckpointSha256 };
    }
}
