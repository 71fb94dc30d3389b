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
    private Parameter? lora_a_, lora_b_;
    private Dropout? lora_dropout_;
    private Scalar? scale_; // α / r, long-lived (see Scalars)

    public LoraLinear(long inFeatures, long outFeatures) : base(nameof(LoraLinear))
    {
        linear = nn.Linear(inFeatures, outFeatures);
        RegisterComponents();
    }

    public long InFeatures => linear.in_features;
    public long OutFeatures => linear.out_features;
    public Linear Linear => linear;
    public bool HasAdapter => lora_a_ is not null;
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
        lora_a_ = new Parameter(a);
        lora_b_ = new Parameter(zeros(OutFeatures, rank, dtype: w.dtype, device: w.device));
        register_parameter("lora_a", lora_a_);
        register_parameter("lora_b", lora_b_);
        if (dropout > 0)
        {
            lora_dropout_ = nn.Dropout(dropout);
            register_module("lora_dropout", lora_dropout_);
        }
        (Rank, Alpha) = (rank, alpha);
        scale_ = Scale;
    }

    /// <summary>W + (α / r) · B A: the weight of an equivalent plain Linear (for merging).</summary>
    public Tensor MergedWeight()
    {
        using var _ = no_grad();
        var w = linear.weight!.detach();
        return HasAdapter ? w + lora_b_!.matmul(lora_a_!) * Scale : w.clone();
    }

    public override Tensor forward(Tensor x)
    {
        var y = linear.forward(x);
        if (lora_a_ is null) return y;
        var h = lora_dropout_ is null ? x : lora_dropout_.forward(x);
        return y.add(h.matmul(lora_a_.t()).matmul(lora_b_!.t()), scale_!);
    }
}
