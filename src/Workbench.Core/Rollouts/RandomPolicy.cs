using Workbench.Envs;
using Workbench.Runtime;

namespace Workbench.Rollouts;

/// <summary>
/// Uniformly random actions, the floor of a suite. Its stream is derived from (seed, task, env seed, episode) when the
/// runner announces an episode, so results do not depend on batch size, shard or resume.
/// </summary>
public sealed class RandomPolicy(ulong seed = 0) : IPolicy, IEpisodeAware
{
    private Rng[] _rngs = [];

    public string Name => "random";

    public void Reset(int slots) => _rngs = Enumerable.Range(0, slots).Select(s => Rng.Derive(seed, (ulong)s)).ToArray();

    public void ResetSlot(int slot) => _rngs[slot] = Rng.Derive(seed, (ulong)slot);

    public void BeginEpisode(int slot, string task, long envSeed, int episode) =>
        _rngs[slot] = Rng.Derive(seed, StableHash.Of(task), unchecked((ulong)envSeed), (ulong)episode);

    public AgentAction[] Act(IReadOnlyList<int> slots, IReadOnlyList<Observation> observations, IReadOnlyList<GridEnv> envs)
    {
        var actions = new AgentAction[slots.Count];
        for (int i = 0; i < slots.Count; i++) actions[i] = (AgentAction)_rngs[slots[i]].NextInt(7);
        return actions;
    }

    public void Dispose()
    {
    }
}
