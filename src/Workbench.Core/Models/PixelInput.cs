using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Models;

/// <summary>
/// Pixels → float, on the model's device: (x / 255 − 0.5) / 0.25, i.e. [0, 255] → [−2, 2]. Fixed constants rather than
/// dataset statistics, so every model, dataset and tile size reads pixels the same way and a tower trained on one
/// (e.g. the Fashion-MNIST classifier) means the same thing in another. Observations travel as uint8 (4× fewer bytes
/// than float) and are converted only here.
/// </summary>
public static class PixelInput
{
    public const double Mean = 0.5, Std = 0.25;

    // Long-lived scalars (see Scalars): x · 1 / (255 · std) − mean / std in two ops.
    private static readonly Scalar Scale = 1.0 / (255.0 * Std);
    private static readonly Scalar Shift = Mean / Std;

    /// <summary>uint8 (…) → float32 (…), normalised.</summary>
    public static Tensor Normalize(Tensor pixels) => pixels.to_type(ScalarType.Float32).mul(Scale).sub(Shift);
}
