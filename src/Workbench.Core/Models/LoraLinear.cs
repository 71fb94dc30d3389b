using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Workbench.Models;

/// <summary>
/// A Linear layer that can carry a LoRA adapter (Hu et al. 2021): y = W x + b + (α / r) · B A dropout(x), with
/// A (r, in) initialised like Kaiming-uniform and B (out, r) at zero, so adding an adapter does not change the
/// output. Every Linear of the model families is one of these, so adapters can target any of them by name.
/// State-dict names: <c>linear.weight</c>, <c>linear.bias</c>, and when adapted <c>lora_a</c>, <c>lora_b</c>.
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
    private readonly Linear linear;
    private Parameter? loraA, loraB;
    private Dropout? loraDropout;

    public LoraLinear(long inFeatures, long outFeatures) : base(nameof(LoraLinear))
    {
        linear = nn.Linear(inFeatures, outFeatures);
        RegisterComponents();
    }

    public long InFeatures => linear.in_features;
    public long OutFeatures => linear.out_features;
    public Linear Linear => linear;
    public bool HasAdapter => loraA is not null;
    public int Rank { get; private set; }
    public double Alpha { get; private set; }
    public double Scale => Rank == 0 ? 0 : Alpha / Rank;

    /// <summary>Adds a rank-<paramref name="rank"/> adapter (once). The base weights are left as they are.</summary>
    public void AddAdapter(int rank, double alpha, double dropout)
    {
        if (HasAdapter) throw new InvalidOperationException("this layer already has an adapter");
        if (rank < 1) throw new ArgumentOutOfRangeException(nameof(rank), "must be >= 1");
        var w = linear.weight!;
        var a = empty(rank, InFeatures, dtype: w.dtype, device: w.device);
        nn.init.kaiming_uniform_(a, Math.Sqrt(5));
        loraA = new Parameter(a);
        loraB = new Parameter(zeros(OutFeatures, rank, dtype: w.dtype, device: w.device));
        register_parameter("lora_a", loraA);
        register_parameter("lora_b", loraB);
        if (dropout > 0)
        {
            loraDropout = nn.Dropout(dropout);
            register_module("lora_dropout", loraDropout);
        }
        (Rank, Alpha) = (rank, alpha);
    }

    /// <summary>W + (α / r) · B A: the weight of an equivalent plain Linear (for merging).</summary>
    public Tensor MergedWeight()
    {
        using var _ = no_grad();
        var w = linear.weight!.detach();
        return HasAdapter ? w + loraB!.matmul(loraA!) * Scale : w.clone();
    }

    public override Tensor forward(Tensor x)
    {
        var y = linear.forward(x);
        if (loraA is null) return y;
        var h = loraDropout is null ? x : loraDropout.forward(x);
        return y + h.matmul(loraA.t()).matmul(loraB!.t()) * Scale;
    }
}
