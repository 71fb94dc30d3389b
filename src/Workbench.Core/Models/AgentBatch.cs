using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Models;

/// <summary>Observation constants of the contract (src/ARCHITECTURE.md): 7×7×3 symbolic grid, 4 directions, 7 actions.</summary>
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
/// One step for a batch of agents (the contract's <c>AgentBatch</c>):
/// grid (B, 7, 7, 3) int64, direction (B) int64, mission (B, L) int64 with 0 = pad.
/// </summary>
public sealed record AgentBatch(Tensor Grid, Tensor Direction, Tensor Mission) : IDisposable
{
    public long Size => Grid.shape[0];
    public void Dispose() { Grid.Dispose(); Direction.Dispose(); Mission.Dispose(); }
}

/// <summary>
/// Whole episodes for teacher forcing: grid (B, T, 7, 7, 3), direction (B, T), mission (B, L) (constant within
/// an episode), mask (B, T) bool — true on real steps; padding comes only after an episode's last step.
/// </summary>
public sealed record AgentSequence(Tensor Grid, Tensor Direction, Tensor Mission, Tensor Mask) : IDisposable
{
    public long Batch => Grid.shape[0];
    public long Time => Grid.shape[1];

    /// <summary>The step-<paramref name="t"/> slice as an <see cref="AgentBatch"/> (views, no copy).</summary>
    public AgentBatch StepAt(long t) => new(Grid.select(1, t), Direction.select(1, t), Mission.alias());

    public void Dispose() { Grid.Dispose(); Direction.Dispose(); Mission.Dispose(); Mask.Dispose(); }
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
