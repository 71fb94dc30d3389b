using Workbench.Envs;
using Workbench.Runtime;

namespace Workbench.Rollouts;

/// <summary>One step of an episode played by <see cref="BotLabelledPolicy"/>: what the learner was shown and what the bot would do.</summary>
/// <param name="Frame">the observation bytes the learner read (pixels at its tile size, or the symbolic view).</param>
public sealed record LabelledStep(int Direction, byte[] Frame, AgentAction BotAction);

/// <summary>
/// DAgger's data collection (Ross, Gordon and Bagnell, 2011) behind the batched seam: the learner (<paramref name="learner"/>)
/// plays, and at every step the expert bot (<see cref="BotPolicy"/>, one bot per slot on that slot's environment, seeing
/// only what the agent's view has shown so far) says what it would do from there. With probability <paramref name="beta"/>
/// the bot's action is executed instead of the learner's (DAgger's mixture policy; 0 = the learner alone), drawn once
/// per step from a generator keyed on (task, seed, episode), so the same episodes give the same data at any batch width.
/// <see cref="Take"/> hands over an ended episode's steps.
/// </summary>
public sealed class BotLabelledPolicy(IPolicy learner, double beta = 0, ulong seed = 0) : IPolicy, IEpisodeAware
{
    private readonly BotPolicy _bot = new();
    private Rng?[] _rngs = [];
    private readonly Dictionary<GridEnv, List<LabelledStep>> _steps = new(ReferenceEqualityComparer.Instance);

    public string Name => $"{learner.Name}+bot labels";
    public ObservationSpec Observes => learner.Observes;

    public void Reset(int slots)
    {
        learner.Reset(slots);
        _bot.Reset(slots);
        _rngs = new Rng?[slots];
    }

    public void ResetSlot(int slot)
    {
        learner.ResetSlot(slot);
        _bot.ResetSlot(slot);
        _rngs[slot] = null;
    }

    public void BeginEpisode(int slot, string task, long envSeed, int episode)
    {
        (learner as IEpisodeAware)?.BeginEpisode(slot, task, envSeed, episode);
        _rngs[slot] = Rng.Derive(seed, StableHash.Of(task), unchecked((ulong)envSeed), (ulong)episode);
    }

    public AgentAction[] Act(IReadOnlyList<int> slots, IReadOnlyList<Observation> observations, IReadOnlyList<GridEnv> envs)
    {
        // The bot looks first: its Act records what the view shows now, before the learner's action changes it.
        var labels = _bot.Act(slots, observations, envs);
        var actions = learner.Act(slots, observations, envs);
        for (int i = 0; i < slots.Count; i++)
        {
            var rng = _rngs[slots[i]] ??= Rng.Derive(seed, (ulong)slots[i]);
            double draw = rng.NextDouble(); // drawn every step, so beta changes which steps the bot takes, not the stream
            if (draw < beta) actions[i] = labels[i];
            if (!_steps.TryGetValue(envs[i], out var steps)) _steps[envs[i]] = steps = [];
            steps.Add(new LabelledStep(observations[i].Direction, observations[i].For(Observes).ToArray(), labels[i]));
        }
        return actions;
    }

    /// <summary>The steps played in <paramref name="env"/>'s episode (removed from the policy); call once it has ended.</summary>
    public IReadOnlyList<LabelledStep> Take(GridEnv env)
    {
        if (!_steps.Remove(env, out var steps)) throw new InvalidOperationException("no steps were recorded for this environment");
        return steps;
    }

    public void Dispose()
    {
        _bot.Dispose();
        learner.Dispose();
    }
}
