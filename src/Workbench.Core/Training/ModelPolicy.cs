using TorchSharp;
using Workbench.Envs;
using Workbench.Evals;
using Workbench.Evals.Runner;
using Workbench.Models;
using static TorchSharp.torch;

namespace Workbench.Training;

/// <summary>
/// A trained agent model as an eval policy: greedy (argmax) actions, recurrent memory per slot. Memory rows of
/// slots that start a new episode are zero, which is what the models use for "no memory" (GRU/LSTM h0 = 0).
/// </summary>
public sealed class ModelPolicy(string name, IAgentModel model) : IPolicy
{
    private Tensor[]? _memory; // each (1, slots, H)
    private int _slots;

    public string Name { get; } = name;
    public IAgentModel Model => model;

    public void Reset(int slots)
    {
        _slots = slots;
        DisposeMemory();
        model.Module.eval();
    }

    public void ResetSlot(int slot)
    {
        if (_memory is null) return;
        using var _ = no_grad();
        foreach (var m in _memory) m.select(1, slot).zero_();
    }

    public AgentAction[] Act(IReadOnlyList<int> slots, IReadOnlyList<Observation> observations, IReadOnlyList<GridEnv> envs)
    {
        if (slots.Count == 0) return [];
        var device = model.Module.parameters().First().device;
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var batch = EpisodeBatcher.Step(observations.Select(o => new RolloutObservation(o.Symbolic, o.Direction, o.Mission)).ToList(),
            model.Spec.MaxMissionLength, device);
        var index = tensor(slots.Select(s => (long)s).ToArray(), device: device);
        AgentMemory? memory = _memory is null ? null : new AgentMemory(_memory.Select(m => m.index_select(1, index)).ToArray());
        var logits = model.Forward(batch, ref memory);                                    // (n, 7)
        if (_memory is null)
        {
            _memory = memory!.States.Select(s => zeros(s.shape[0], _slots, s.shape[2], dtype: s.dtype, device: device).DetachFromDisposeScope()).ToArray();
        }
        for (int i = 0; i < _memory.Length; i++) _memory[i].index_copy_(1, index, memory!.States[i]);
        return logits.argmax(1).cpu().data<long>().Select(a => (AgentAction)a).ToArray();
    }

    private void DisposeMemory()
    {
        if (_memory is null) return;
        foreach (var m in _memory) m.Dispose();
        _memory = null;
    }

    public void Dispose()
    {
        DisposeMemory();
        model.Dispose();
    }
}

/// <summary>Resolves <c>name@version</c> policies from the model registry (register with <see cref="PolicyResolvers.Register"/>).</summary>
public sealed class ModelPolicyResolver(string? registryRoot = null) : IPolicyResolver
{
    public string Accepts => "name@version from the model registry" + (registryRoot is null ? "" : $" ({registryRoot})");

    public IPolicy? TryCreate(PolicyId id)
    {
        if (id.Version.Length == 0) return null;
        return new ModelPolicy(id.Spec, ModelVersions.Resolve(id.Spec, registryRoot));
    }
}
