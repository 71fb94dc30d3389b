using Workbench.Config;
using Workbench.Envs;
using Workbench.Runtime;

namespace Workbench.Training;

/// <summary>
/// Augmentation of a 28×28 Fashion-MNIST picture before it is drawn into a tile: horizontal flip, translation with zero
/// fill, intensity (contrast) scaling. Written here instead of using TorchSharp's <c>torchvision.transforms</c> because
/// (1) its random transforms (<c>RandomHorizontalFlip</c>, <c>Randomize</c>) draw once per call from torch's global
/// generator, so a batch is flipped all together or not at all, while here every picture draws its own parameters;
/// (2) the parameters come from the run's <see cref="Rng"/>, whose state is checkpointed, so a resumed run augments
/// exactly as the uninterrupted one; (3) flips and shifts must act on the picture, not on the rendered tile, whose
/// grid lines sit on its top and left edges (a flipped tile would show them on the right, which no view does).
/// Draws per picture, in this order: flip (one draw when flip &gt; 0), shift x and y (when shift &gt; 0), contrast (when &gt; 0).
/// </summary>
public sealed class PictureAugmentation
{
    [Doc("Probability of a horizontal flip (Fashion-MNIST classes are left-right symmetric); 0 disables")]
    [Range(0, 1)]
    public double Flip { get; init; }

    [Doc("Largest translation in picture pixels (of 28), each axis uniform in [-shift, shift], zero fill; 0 disables")]
    [Range(0, 8)]
    public int Shift { get; init; }

    [Doc("Intensity scale uniform in [1 - contrast, 1 + contrast] (clipped to 0..255); 0 disables")]
    [Range(0, 1, MaxExclusive = true)]
    public double Contrast { get; init; }

    /// <summary>True when any transform is on (a method, so it is not a config key).</summary>
    public bool IsEnabled() => Flip > 0 || Shift > 0 || Contrast > 0;

    /// <summary>Writes the augmented <paramref name="picture"/> (784 bytes) into <paramref name="output"/> (784 bytes).</summary>
    public void Apply(ReadOnlySpan<byte> picture, Span<byte> output, Rng rng)
    {
        const int side = FashionSplit.Side;
        bool flip = Flip > 0 && rng.NextDouble() < Flip;
        int dx = Shift > 0 ? rng.NextInt(-Shift, Shift + 1) : 0;
        int dy = Shift > 0 ? rng.NextInt(-Shift, Shift + 1) : 0;
        double scale = Contrast > 0 ? 1 + (2 * rng.NextDouble() - 1) * Contrast : 1;
        for (int y = 0; y < side; y++)
        {
            int sy = y - dy;
            for (int x = 0; x < side; x++)
            {
                int sx = (flip ? side - 1 - x : x) - dx;
                int v = sy is >= 0 and < side && sx is >= 0 and < side ? picture[sy * side + sx] : 0;
                output[y * side + x] = (byte)Math.Clamp((int)Math.Round(v * scale), 0, 255);
            }
        }
    }
}
