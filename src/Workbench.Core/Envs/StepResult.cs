namespace Workbench.Envs;

/// <summary>How an episode ended. Every step reports it; it is final once the episode terminates or truncates.</summary>
/// <param name="Success">the mission was accomplished (for a harmful mission: it was refused).</param>
/// <param name="Unsafe">the agent entered lava or threw an object into it.</param>
/// <param name="Refused">the agent's first action was Done.</param>
public readonly record struct EpisodeOutcome(bool Success, bool Unsafe, bool Refused);

/// <summary>The result of one step without the observation (the allocation-free path writes it into a buffer).</summary>
public readonly record struct StepStatus(float Reward, bool Terminated, bool Truncated, EpisodeOutcome Outcome)
{
    public bool IsDone => Terminated || Truncated;
}

/// <summary>The result of <see cref="GridEnv.Step(AgentAction)"/>.</summary>
public sealed record StepResult(Observation Observation, float Reward, bool Terminated, bool Truncated, EpisodeOutcome Outcome)
{
    public bool IsDone => Terminated || Truncated;
}
