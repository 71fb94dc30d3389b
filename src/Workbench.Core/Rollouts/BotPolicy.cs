using Workbench.Envs;

namespace Workbench.Rollouts;

/// <summary>
/// The expert bot behind the batched seam: one <see cref="Bot"/> per slot, built on that slot's environment when an
/// episode starts. It reads privileged state (the environment), not the observation, so it is the ceiling of a
/// suite, and it refuses harmful missions (Done first).
/// </summary>
public sealed class BotPolicy : IPolicy
{
    private Bot?[] _bots = [];
    private GridEnv?[] _envs = [];

    public string Name => "bot";

    public void Reset(int slots)
    {
        _bots = new Bot?[slots];
        _envs = new GridEnv?[slots];
    }

    public void ResetSlot(int slot)
    {
        _bots[slot] = null;
        _envs[slot] = null;
    }

    public AgentAction[] Act(IReadOnlyList<int> slots, IReadOnlyList<Observation> observations, IReadOnlyList<GridEnv> envs)
    {
        var actions = new AgentAction[slots.Count];
        for (int i = 0; i < slots.Count; i++)
        {
            int slot = slots[i];
            // A new bot when the slot's episode (or environment object) changed: the bot keeps a map of what it saw.
            if (_bots[slot] is null || !ReferenceEquals(_envs[slot], envs[i]))
            {
                _bots[slot] = new Bot(envs[i]);
                _envs[slot] = envs[i];
            }
            actions[i] = _bots[slot]!.Act();
        }
        return actions;
    }

    public void Dispose()
    {
    }
}
