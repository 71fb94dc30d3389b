using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Workbench.Models;

/// <summary>
/// Counts forward-pass FLOPs from module shapes, as the model says it uses them (<see cref="IAgentModel.CountFlops"/>:
/// which module runs over how many positions). Convention (Kaplan et al. 2020): a multiply-add is 2 FLOPs and only
/// matrix products count — Linear, Conv2d, attention scores and weighted sums, recurrent gates; embeddings are
/// lookups (0 FLOPs); biases, activations, norms and residual adds are left out (O(activations), not O(weights)).
/// <list type="bullet">
/// <item>Linear (in → out) over p positions: 2·in·out·p (+ a LoRA adapter of rank r: 2·r·(in + out)·p).</item>
/// <item>Conv2d: 2·(C_in / groups)·k_h·k_w·C_out per output position.</item>
/// <item>Attention, q queries over k keys of width d (all heads together): 2·q·k·d for QKᵀ + 2·q·k·d for AV.</item>
/// <item>GRU / LSTM per step: 2 × (elements of every weight_ih and weight_hh matrix) — 3 or 4 gates × (in·h + h·h) per layer.</item>
/// </list>
/// The counter remembers which modules it was given, so a test can check that a model's count misses none
/// (<see cref="Uncounted"/>).
/// </summary>
public sealed class FlopCounter
{
    private readonly HashSet<nn.Module> _counted = new(ReferenceEqualityComparer.Instance);
    private readonly List<(string Term, double Flops)> _terms = [];

    /// <summary>Forward FLOPs counted so far.</summary>
    public double Total { get; private set; }

    /// <summary>What each call added, in order (for tests and for explaining a count).</summary>
    public IReadOnlyList<(string Term, double Flops)> Terms => _terms;

    /// <summary>Forward FLOPs of one <see cref="IAgentModel.Forward"/> step for one episode: what one action costs.</summary>
    public static double PerAction(IAgentModel model)
    {
        var counter = new FlopCounter();
        model.CountFlops(counter);
        return counter.Total;
    }

    public FlopCounter Linear(Linear layer, long positions)
    {
        var w = layer.weight!;                                                   // (out, in)
        return Add(layer, $"linear {w.shape[1]}→{w.shape[0]} × {positions}", 2.0 * w.shape[0] * w.shape[1] * positions);
    }

    public FlopCounter Linear(LoraLinear layer, long positions)
    {
        _counted.Add(layer);
        Linear(layer.Linear, positions);
        if (!layer.HasAdapter) return this;
        return Add(layer, $"lora r{layer.Rank} {layer.InFeatures}→{layer.OutFeatures} × {positions}",
            2.0 * layer.Rank * (layer.InFeatures + layer.OutFeatures) * positions);
    }

    /// <summary>A convolution producing <paramref name="images"/> maps of <paramref name="outHeight"/> × <paramref name="outWidth"/>.</summary>
    public FlopCounter Conv2d(Conv2d conv, long outHeight, long outWidth, long images = 1)
    {
        var w = conv.weight!;                                                    // (C_out, C_in / groups, k_h, k_w)
        double perPosition = 2.0 * w.shape[0] * w.shape[1] * w.shape[2] * w.shape[3];
        return Add(conv, $"conv {w.shape[1]}→{w.shape[0]} {w.shape[2]}×{w.shape[3]} over {images} × {outHeight}×{outWidth}",
            perPosition * outHeight * outWidth * images);
    }

    /// <summary>Scaled dot-product attention (no module to read: the caller gives the shapes).</summary>
    public FlopCounter Attention(long queries, long keys, long dim)
    {
        double flops = 4.0 * queries * keys * dim;
        _terms.Add(($"attention {queries}×{keys}, width {dim}", flops));
        Total += flops;
        return this;
    }

    public FlopCounter Gru(GRU gru, long steps) => Recurrent(gru, "gru", steps);

    public FlopCounter Lstm(LSTM lstm, long steps) => Recurrent(lstm, "lstm", steps);

    /// <summary>A table lookup: 0 FLOPs, but the table is counted as used.</summary>
    public FlopCounter Embedding(Embedding table, long lookups) => Add(table, $"embedding × {lookups}", 0);

    /// <summary>Modules with weights that FLOPs are counted for (Linear, Conv2d, GRU, LSTM, Embedding) that were never given to this counter.</summary>
    public IReadOnlyList<string> Uncounted(nn.Module model) =>
        model.named_modules()
            .Where(m => m.module is TorchSharp.Modules.Linear or TorchSharp.Modules.Conv2d or GRU or LSTM or TorchSharp.Modules.Embedding && !_counted.Contains(m.module))
            .Select(m => m.name).ToList();

    private FlopCounter Recurrent(nn.Module cell, string kind, long steps)
    {
        // weight_ih_l{k} (G·h, in) and weight_hh_l{k} (G·h, h) for every layer and direction; G = 3 (GRU) or 4 (LSTM).
        long weights = cell.named_parameters().Where(p => p.name.StartsWith("weight_", StringComparison.Ordinal)).Sum(p => p.parameter.numel());
        return Add(cell, $"{kind} × {steps} steps", 2.0 * weights * steps);
    }

    private FlopCounter Add(nn.Module module, string term, double flops)
    {
        _counted.Add(module);
        _terms.Add((term, flops));
        Total += flops;
        return this;
    }
}
