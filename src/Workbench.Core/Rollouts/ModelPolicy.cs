using TorchSharp;
using Workbench.Envs;
using Workbench.Models;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Rollouts;

/// <summary>
/// A trained agent model behind the batched seam: greedy (argmax) actions, one forward pass per runner step for
/// all live slots. Recurrent memory is kept per slot as rows of (1, S, H) tensors; a slot whose episode just
/// started gets zero rows, which is what the model uses for "no memory" (GRU/LSTM zero initial state).
/// </summary>
public sealed class ModelPolicy : IPolicy, IModelInfo
{
    private readonly IAgentModel _model;
    private readonly Device _device;
    private readonly bool _ownsModel;
    private Tensor[]? _memory;       // each (1, S, H)
    private bool[] _fresh = [];

    /// <param name="ownsModel">dispose the model with the policy (false for training-time rollouts of the model being trained).</param>
    public ModelPolicy(string name, IAgentModel model, Device? device = null, bool ownsModel = true)
    {
        Name = name;
        _model = model;
        _device = device ?? CPU;
        _ownsModel = ownsModel;
        _model.Module.to(_device);
        _model.Module.eval();
        Parameters = _model.Module.parameters().Sum(p => p.numel());
        FlopsPerAction = FlopCounter.PerAction(_model);
    }

    public string Name { get; }
    public ObservationSpec Observes => _model.Spec.Input;
    public long? Parameters { get; }
    public double? FlopsPerAction { get; }

    /// <summary>Set by whoever loaded the weights from a file (the model registry's resolver); eval records carry it.</summary>
    public string? CheckpointSha256 { get; init; }

    public void Reset(int slots)
    {
        DisposeMemory();
        _fresh = Enumerable.Repeat(true, slots).ToArray();
    }

    public void ResetSlot(int slot) => _fresh[slot] = true;

    public AgentAction[] Act(IReadOnlyList<int> slots, IReadOnlyList<Observation> observations, IReadOnlyList<GridEnv> envs)
    {
        using var _ = no_grad();
        using var noGc = NoGcRegion.Enter();
        using var scope = NewDisposeScope();
        using var batch = EpisodeBatcher.Step(observations, _model.Spec.Input, _model.Spec.MaxMissionLength, _device, _model.Spec.VocabSize);
        var index = tensor(slots.Select(s => (long)s).ToArray(), device: _device);                 // (n)

        AgentMemory? memory = null;
        if (_memory != null)
        {
            // Rows of the live slots; zero the rows of slots that start a new episode.
            var keep = tensor(slots.Select(s => _fresh[s] ? 0f : 1f).ToArray(), device: _device).view(1, -1, 1);
            memory = new AgentMemory(_memory.Select(m => m.index_select(1, index) * keep.to(m.dtype)).ToArray());
        }
        var logits = _model.Forward(batch, ref memory);                                             // (n, 7)

        if (_memory == null)
        {
            _memory = memory!.States.Select(m => zeros(m.shape[0], _fresh.Length, m.shape[2], dtype: m.dtype, device: _device)
                .DetachFromDisposeScope()).ToArray();
        }
        for (int k = 0; k < _memory.Length; k++) _memory[k].index_copy_(1, index, memory!.States[k]);
        foreach (int s in slots) _fresh[s] = false;

        var actions = logits.argmax(1).cpu().data<long>().ToArray();
        return actions.Select(a => (AgentAction)a).ToArray();
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
        if (_ownsModel) _model.Dispose();
    }
}
