using TorchSharp;
using Workbench.Data;
using Workbench.Envs;
using static TorchSharp.torch;

namespace Workbench.Models;

/// <summary>
/// Episodes → padded tensors for teacher forcing; observations → one-step batches for rollouts. Observation bytes
/// are copied as they are (uint8, symbolic or RGB): the only per-step work on the CPU is one block copy.
/// </summary>
public static class EpisodeBatcher
{
    /// <summary>
    /// B episodes → (sequence, actions): obs (B, T, H, W, 3) uint8, direction (B, T), mission (B, L), mask (B, T),
    /// actions (B, T) int64 (0 at padding; masked out). T is the longest episode in the batch.
    /// </summary>
    /// <param name="vocabSize">the model's embedding rows: mission words with larger ids read as unknown (see <see cref="MissionTokenizer"/>).</param>
    /// <exception cref="InvalidDataException">a step's observation is not <paramref name="spec"/>'s size.</exception>
    public static (AgentSequence Sequence, Tensor Actions) Build(IReadOnlyList<DemoEpisode> episodes, ObservationSpec spec,
        int maxMissionLength, Device device, int vocabSize = int.MaxValue)
    {
        int b = episodes.Count, t = episodes.Max(e => e.Steps.Length), bytes = spec.BytesPerStep;
        var encoded = episodes.Select(e => MissionTokenizer.Encode(e.Mission, maxMissionLength, vocabSize)).ToArray();
        // Trim mission padding shared by the whole batch: models mask padding, so this only saves compute.
        int l = Math.Max(1, encoded.Max(m => Array.FindLastIndex(m, id => id != MissionTokenizer.Pad) + 1));
        var obs = new byte[(long)b * t * bytes];
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
                if (step.Obs.Length != bytes)
                    throw new InvalidDataException($"episode {e.EpisodeId} ({e.Level}) step {s}: obs has {step.Obs.Length} bytes, " +
                                                   $"expected {bytes} ({spec.Describe()}, the model's observation)");
                int flat = i * t + s;
                step.Obs.Span.CopyTo(obs.AsSpan(flat * bytes, bytes));
                direction[flat] = step.Direction;
                actions[flat] = step.Action;
                mask[flat] = true;
            }
        }
        var sequence = new AgentSequence(
            tensor(obs, [b, t, spec.Height, spec.Width, spec.Channels]).to(device),
            tensor(direction, [b, t]).to(device),
            tensor(mission, [b, l]).to(device),
            tensor(mask, [b, t]).to(device));
        return (sequence, tensor(actions, [b, t]).to(device));
    }

    /// <summary>One observation per agent → a step batch: obs (B, H, W, 3) uint8, direction (B), mission (B, L).</summary>
    public static AgentBatch Step(IReadOnlyList<Observation> observations, ObservationSpec spec, int maxMissionLength, Device device,
        int vocabSize = int.MaxValue)
    {
        int b = observations.Count, bytes = spec.BytesPerStep;
        var obs = new byte[b * bytes];
        var mission = new long[b * maxMissionLength];
        for (int i = 0; i < b; i++)
        {
            Buffer.BlockCopy(observations[i].For(spec), 0, obs, i * bytes, bytes);
            MissionTokenizer.Encode(observations[i].Mission, maxMissionLength, vocabSize).CopyTo(mission, i * maxMissionLength);
        }
        return new AgentBatch(
            tensor(obs, [b, spec.Height, spec.Width, spec.Channels]).to(device),
            tensor(observations.Select(o => (long)o.Direction).ToArray(), [b]).to(device),
            tensor(mission, [b, maxMissionLength]).to(device));
    }
}
