using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Models;

/// <summary>Observation constants of the contract (src/ARCHITECTURE.md): 7×7×3 symbolic grid, 4 directions, 7 actions.
/// Pixel observations are (7·tile, 7·tile, 3); their shape comes from the model's <see cref="Envs.ObservationSpec"/>.</summary>
public static class AgentObs
{
    public const int View = 7;
    public const int Channels = 3;
    public const int GridBytes = View * View * Channels; // 147
    public const int Objects = Envs.GridNames.ObjectTypeCount; // MiniGrid object ids 0..10, plus 11 = Fashion-MNIST picture
    public const int Colours = 6;     // 0..5
    public const int States = 3;      // 0..2
    public const int Directions = 4;
    public const int Actions = 7;     // left, right, forward, pickup, drop, toggle, done
}

/// <summary>
/// One step for a batch of agents (the contract's <c>AgentBatch</c>): obs (B, H, W, 3) uint8 — symbolic (B, 7, 7, 3) ids or
/// RGB (B, 7·tile, 7·tile, 3) pixels, as the model's <see cref="Envs.ObservationSpec"/> says — direction (B) int64,
/// mission (B, L) int64 with 0 = pad. Observations stay uint8 until they reach the model's device (4–8× fewer bytes to
/// move than int64/float); models convert them there.
/// </summary>
public sealed record AgentBatch(Tensor Obs, Tensor Direction, Tensor Mission) : IDisposable
{
    public long Size => Obs.shape[0];
    public void Dispose() { Obs.Dispose(); Direction.Dispose(); Mission.Dispose(); }
}

/// <summary>
/// Whole episodes for teacher forcing: obs (B, T, H, W, 3) uint8, direction (B, T), mission (B, L) (constant within
/// an episode), mask (B, T) bool — true on real steps; padding comes only after an episode's last step.
/// </summary>
public sealed record AgentSequence(Tensor Obs, Tensor Direction, Tensor Mission, Tensor Mask) : IDisposable
{
    public long Batch => Obs.shape[0];
    public long Time => Obs.shape[1];

    /// <summary>The step-<paramref name="t"/> slice as an <see cref="AgentBatch"/> (views, no copy).</summary>
    public AgentBatch StepAt(long t) => new(Obs.select(1, t), Direction.select(1, t), Mission.alias());

    /// <summary>Observations of the real steps, flattened: (N, H, W, 3) uint8 at flat step ids <paramref name="index"/> (N).</summary>
    public Tensor RealSteps(Tensor index) => Obs.flatten(0, 1).index_select(0, index);

    public void Dispose() { Obs.Dispose(); Direction.Dispose(); Mission.Dispose(); Mask.Dispose(); }
}

/// <summary>
/// Recurrent memory carried between steps (GRU hidden, or LSTM hidden + cell). Each tensor is (1, B, H).
/// Forward returns a new memory; the caller owns both and disposes the old one.
/// </summary>
public sealed class AgentMemory(params Tensor[] states) : IDisposable
{
    public Tensor[] States { get; } = states;

    /// <summary>Keeps the tensors alive past the current dispose scope (rollouts run a scope per step).</summary>
    public AgentMemory DetachFromDisposeScope()
    {
        foreach (var s in States) s.DetachFromDisposeScope();
        return this;
    }

    public void Dispose()
    {
        foreach (var s in States) s.Dispose();
    }
}
