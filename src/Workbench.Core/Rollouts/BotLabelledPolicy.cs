using Workbench.Envs;
using Workbench.Runtime;

namespace Workbench.Rollouts;

/// <summary>One step of an episode played by <see cref="BotLabelledPolicy"/>: what the learner was shown, what the bot would do, what was done.</summary>
/// <param name="Frame">the observation bytes the learner read (pixels at its tile size, or the symbolic view).</param>
public sealed record LabelledStep(int Direction, byte[] Frame, AgentAction BotAction, AgentAction Executed);

/// <summary>
/// DAgger's data collection (Ross, Gordon and Bagnell, 2011) behind the batched seam: the learner (<paramref name="learner"/>)
/// plays, and at every step the expert bot — built on the same environment, seeing only what the agent's view has shown
/// so far — says what it would do from there. With probability <paramref name="beta"/> the bot's action is executed
/// instead of the learner's (DAgger's mixture policy; 0 = the learner alone), drawn from a generator keyed on
/// (task, seed, episode, step), so the same episodes give the same data at any batch width. <see cref="Take"/> hands
/// over an ended episode's steps.
/// </summary>
public sealed class BotLabelledPolicy(IPolicy learner, double beta = 0, ulong seed = 0) : IPolicy, IEpisodeAware
{
    private Bot?[] _bots = [];
    private GridEnv?[] _envs = [];
    private Rng?[] _rngs = [];
    private readonly Dictionary<GridEnv, List<LabelledStep>> _steps = new(ReferenceEqualityComparer.Instance);

    public string Name => $"{learner.Name}+bot labels";
    public ObservationSpec Observes => learner.Observes;

    public void Reset(int slots)
    {
        learner.Reset(slots);
        _bots = new Bot?[slots];
        _envs = new GridEnv?[slots];
        _rngs = new Rng?[slots];
    }

    public void ResetSlot(int slot)
    {
        learner.ResetSlot(slot);
        _bots[slot] = null;
        _envs[slot] = null;
        _rngs[slot] = null;
    }

    public void BeginEpisode(int slot, string task, long envSeed, int episode)
    {
        (learner as IEpisodeAware)?.BeginEpisode(slot, task, envSeed, episode);
        _rngs[slot] = Rng.Derive(seed, StableHash.Of(task), unchecked((ulong)envSeed), (ulong)episode);
    }

    public AgentAction[] Act(IReadOnlyList<int> slots, IReadOnlyList<Observation> observations, IReadOnlyList<GridEnv> envs)
    {
        // The bot looks first: Act() records what the view shows now, before the learner's action changes it.
        var labels = new AgentAction[slots.Count];
        for (int i = 0; i < slots.Count; i++)
        {
            int slot = slots[i];
            if (_bots[slot] is null || !ReferenceEquals(_envs[slot], envs[i]))
            {
                _bots[slot] = new Bot(envs[i]);
                _envs[slot] = envs[i];
                _steps[envs[i]] = [];
            }
            labels[i] = _bots[slot]!.Act();
        }
        var actions = learner.Act(slots, observations, envs);
        for (int i = 0; i < slots.Count; i++)
        {
            var rng = _rngs[slots[i]] ??= Rng.Derive(seed, (ulong)slots[i]);
            double draw = rng.NextDouble(); // drawn every step, so beta changes which steps the bot takes, not the stream
            if (draw < beta) actions[i] = labels[i];
            var frame = observations[i].For(Observes).ToArray();
            _steps[envs[i]].Add(new LabelledStep(observations[i].Direction, frame, labels[i], actions[i]));
        }
        return actions;
    }

    /// <summary>The steps played in <paramref name="env"/>'s episode (removed from the policy); call once it has ended.</summary>
    public IReadOnlyList<LabelledStep> Take(GridEnv env)
    {
        if (!_steps.Remove(env, out var steps)) throw new InvalidOperationException("no steps were recorded for this environment");
        return steps;
    }

    public void Dispose() => learner.Dispose();
}
