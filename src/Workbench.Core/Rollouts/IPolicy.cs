using Workbench.Envs;

namespace Workbench.Rollouts;

/// <summary>
/// Something that acts in many episodes at once: a trained model, the expert bot, a random policy.
/// The rollout loop (<see cref="RolloutLoop"/>) steps a batch of environments in lockstep and asks the policy for one action per live episode.
/// </summary>
public interface IPolicy : IDisposable
{
    /// <summary>Display name (e.g. "agent@v2", "bot", "random").</summary>
    string Name { get; }

    /// <summary>
    /// The observation this policy reads. The rollout loop renders it: for pixel specs every observation handed to
    /// <see cref="Act"/> carries <see cref="Observation.Pixels"/> at this tile size. Policies that read the environment
    /// (the bot) or nothing (random) keep the symbolic default.
    /// </summary>
    ObservationSpec Observes => ObservationSpec.Symbolic;

    /// <summary>Starts <paramref name="slots"/> fresh episodes (clears any memory).</summary>
    void Reset(int slots);

    /// <summary>Clears the memory of one slot when a new episode starts in it.</summary>
    void ResetSlot(int slot);

    /// <summary>
    /// One action for each listed slot. <paramref name="slots"/>[i] is the slot whose environment produced
    /// <paramref name="observations"/>[i]; <paramref name="envs"/>[i] is that environment (for policies that
    /// need privileged state, like the bot). Returns actions aligned with the inputs.
    /// </summary>
    AgentAction[] Act(IReadOnlyList<int> slots, IReadOnlyList<Observation> observations, IReadOnlyList<GridEnv> envs);
}
