using Workbench.Evals.Policies;
using Workbench.Evals.Runner;
using Workbench.Rollouts;

namespace Workbench.Evals;

/// <summary>
/// Turns a policy spec (<c>bot</c>, <c>random</c>, <c>agent@v2</c>) into a policy. The built-in resolver knows the
/// bot and the random policy; model versions come from <see cref="Policies.ModelVersionPolicyResolver"/>.
/// </summary>
public interface IPolicyResolver
{
    /// <summary>The policy for <paramref name="id"/>, or null when this resolver does not know it.</summary>
    IPolicy? TryCreate(PolicyId id);

    /// <summary>What this resolver accepts, for error messages (e.g. "bot, random").</summary>
    string Accepts { get; }
}

/// <summary><c>bot</c> (the expert) and <c>random</c> (uniform actions, seeded).</summary>
public sealed class BuiltInPolicyResolver(ulong randomSeed = 0) : IPolicyResolver
{
    public string Accepts => "bot, random";

    public IPolicy? TryCreate(PolicyId id) => (id.Model, id.Version) switch
    {
        ("bot", "") => new BotPolicy(),
        ("random", "") => new RandomPolicy(randomSeed),
        _ => null,
    };
}

/// <summary>The resolvers asked, in order: the built-in policies, then name@version from the model registry.</summary>
public static class PolicyResolvers
{
    /// <summary>The resolvers for a registry (null: <c>registry/</c>).</summary>
    public static IReadOnlyList<IPolicyResolver> For(string? registryRoot = null) =>
        [new BuiltInPolicyResolver(), new Policies.ModelVersionPolicyResolver(registryRoot)];

    public static IPolicy Create(PolicyId id, string? registryRoot = null)
    {
        var resolvers = For(registryRoot);
        foreach (var resolver in resolvers)
            if (resolver.TryCreate(id) is { } policy) return policy;
        throw new UserError($"unknown policy '{id.Spec}' (accepted: {string.Join("; ", resolvers.Select(r => r.Accepts))})");
    }
}
