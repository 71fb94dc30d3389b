using Workbench.Evals.Policies;
using Workbench.Evals.Runner;
using Workbench.Rollouts;

namespace Workbench.Evals;

/// <summary>
/// Turns a policy spec (<c>bot</c>, <c>random</c>, <c>agent@v2</c>) into a policy. The built-in resolver knows the
/// bot and the random policy; model versions come from a resolver registered by the model registry.
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

/// <summary>The resolvers the CLI asks, in order. The model registry adds one for name@version.</summary>
public static class PolicyResolvers
{
    private static readonly List<IPolicyResolver> Registered = [new BuiltInPolicyResolver(), new Policies.ModelVersionPolicyResolver()];

    public static IReadOnlyList<IPolicyResolver> All => Registered;

    public static void Register(IPolicyResolver resolver)
    {
        lock (Registered) Registered.Add(resolver);
    }

    public static IPolicy Create(PolicyId id)
    {
        foreach (var resolver in All)
            if (resolver.TryCreate(id) is { } policy) return policy;
        throw new UserError($"unknown policy '{id.Spec}' (accepted: {string.Join("; ", All.Select(r => r.Accepts))})");
    }
}
