using TorchSharp;
using Workbench.Envs;
using static TorchSharp.torch;

namespace Workbench.Models;

/// <summary>
/// What a model was built from; saved in checkpoints (and so in model versions) so a model can be rebuilt for inference
/// and evals render what it reads. <see cref="Observation"/> is null in checkpoints written before pixels existed: those
/// models read symbolic observations (<see cref="Input"/>).
/// </summary>
public sealed record ModelSpec(string Family, string Size, int VocabSize, int MaxMissionLength, ObservationSpec? Observation = null)
{
    /// <summary>The observation the model reads (its input modality and, for pixels, tile size).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ObservationSpec Input => Observation ?? ObservationSpec.Symbolic;
}

/// <summary>
/// An agent model: observation (<see cref="ModelSpec.Input"/>: symbolic or pixels) + mission → 7 action logits, with
/// recurrent memory across steps.
///
/// Two entry points compute the same function:
/// <list type="bullet">
/// <item><see cref="ForwardSequence"/> — teacher forcing over whole episodes (training): (B, T, …) → (B, T, 7),
/// memory starting empty at t = 0.</item>
/// <item><see cref="Forward"/> — one step (rollouts): (B, …) → (B, 7), threading <see cref="AgentMemory"/>.</item>
/// </list>
/// Every model is a per-step encoder (no dependence on other steps) followed by a recurrent cell over time, so
/// the two agree; a registry-driven test checks it for every family and size.
/// </summary>
public interface IAgentModel : IDisposable
{
    ModelSpec Spec { get; }

    /// <summary>The TorchSharp module (parameters, train/eval, save/load, device moves).</summary>
    nn.Module Module { get; }

    /// <summary>(B, T, …) → logits (B, T, 7). Outputs at padded steps are unspecified (mask them in the loss).</summary>
    Tensor ForwardSequence(AgentSequence sequence);

    /// <summary>(B, …) → logits (B, 7). <paramref name="memory"/> null means the first step of an episode.</summary>
    Tensor Forward(AgentBatch batch, ref AgentMemory? memory);

    /// <summary>
    /// Tells <paramref name="flops"/> which modules one <see cref="Forward"/> step for one episode runs, over how many
    /// positions (missions padded to <see cref="ModelSpec.MaxMissionLength"/>, as rollouts batch them). Every module
    /// with weights must be named (a registry-driven test checks it): <see cref="FlopCounter.PerAction"/> is the
    /// efficiency suite's flops_per_action.
    /// </summary>
    void CountFlops(FlopCounter flops);
}

/// <summary>Helpers shared by the model families (kept small; no base class).</summary>
internal static class ModelOps
{
    /// <summary>Flat indices of real steps: mask (B, T) → (N) int64.</summary>
    public static Tensor ValidIndex(Tensor mask) => mask.reshape(-1).nonzero().squeeze(1);

    /// <summary>Scatters per-step vectors (N, D) at <paramref name="index"/> back into (B, T, D), zeros elsewhere.</summary>
    public static Tensor Unflatten(Tensor values, Tensor index, long batch, long time) =>
        zeros(batch * time, values.shape[1], dtype: values.dtype, device: values.device)
            .index_copy(0, index, values)
            .view(batch, time, values.shape[1]);
}
