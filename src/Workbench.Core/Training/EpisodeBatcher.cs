using TorchSharp;
using Workbench.Data;
using Workbench.Models;
using static TorchSharp.torch;

namespace Workbench.Training;

/// <summary>Episodes → padded tensors for teacher forcing; observations → one-step batches for rollouts.</summary>
public static class EpisodeBatcher
{
    /// <summary>
    /// B episodes → (sequence, actions): grid (B, T, 7, 7, 3), direction (B, T), mission (B, L), mask (B, T),
    /// actions (B, T) int64 (0 at padding; masked out). T is the longest episode in the batch.
    /// </summary>
    public static (AgentSequence Sequence, Tensor Actions) Build(IReadOnlyList<DemoEpisode> episodes, int maxMissionLength, Device device)
    {
        int b = episodes.Count, t = episodes.Max(e => e.Steps.Length);
        var encoded = episodes.Select(e => MissionTokenizer.Encode(e.Mission, maxMissionLength)).ToArray();
        // Trim mission padding shared by the whole batch: models mask padding, so this only saves compute.
        int l = Math.Max(1, encoded.Max(m => Array.FindLastIndex(m, id => id != MissionTokenizer.Pad) + 1));
        var grid = new long[b * t * AgentObs.GridBytes];
        var direction = new long[b * t];
        var actions = new long[b * t];
        var mask = new bool[b * t];
        var mission = new long[b * l];
        for (int i = 0; i < b; i++)
        {
            var e = episodes[i];
            Array.Copy(encoded[i], 0, mission, i * l, l);
            for (int s = 0; s < e.Steps.Length; s++)
            {
                var step = e.Steps[s];
                if (step.Obs.Length != AgentObs.GridBytes)
                    throw new InvalidDataException($"episode {e.EpisodeId} step {s}: obs has {step.Obs.Length} bytes, expected {AgentObs.GridBytes} (symbolic 7×7×3)");
                int flat = i * t + s;
                for (int k = 0; k < AgentObs.GridBytes; k++) grid[flat * AgentObs.GridBytes + k] = step.Obs[k];
                direction[flat] = step.Direction;
                actions[flat] = step.Action;
                mask[flat] = true;
            }
        }
        var sequence = new AgentSequence(
            tensor(grid, [b, t, AgentObs.View, AgentObs.View, AgentObs.Channels]).to(device),
            tensor(direction, [b, t]).to(device),
            tensor(mission, [b, l]).to(device),
            tensor(mask, [b, t]).to(device));
        return (sequence, tensor(actions, [b, t]).to(device));
    }

    /// <summary>One observation per agent → a step batch (B, 7, 7, 3), (B), (B, L).</summary>
    public static AgentBatch Step(IReadOnlyList<RolloutObservation> observations, int maxMissionLength, Device device)
    {
        int b = observations.Count;
        var grid = new long[b * AgentObs.GridBytes];
        var mission = new long[b * maxMissionLength];
        for (int i = 0; i < b; i++)
        {
            for (int k = 0; k < AgentObs.GridBytes; k++) grid[i * AgentObs.GridBytes + k] = observations[i].Grid[k];
            MissionTokenizer.Encode(observations[i].Mission, maxMissionLength).CopyTo(mission, i * maxMissionLength);
        }
        return new AgentBatch(
            tensor(grid, [b, AgentObs.View, AgentObs.View, AgentObs.Channels]).to(device),
            tensor(observations.Select(o => (long)o.Direction).ToArray(), [b]).to(device),
            tensor(mission, [b, maxMissionLength]).to(device));
    }
}
