using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Workbench.Models;

/// <summary>
/// The image tower of pixel-reading transformer agents: one token per view cell, from that cell's tile
/// (tile × tile × 3 pixels, exactly as <c>Envs.EnvRendering</c> draws it) through a small conv tower:
/// conv 3×3 (3 → C) · ReLU · [max-pool 2 when tile ≥ 8] · conv 3×3 (C → 2C) · ReLU · adaptive average pool to 4 × 4 ·
/// Linear (32·C → D). A conv tower rather than a linear patch embedding, because the cell's content must be
/// *recognised* (a Fashion-MNIST class drawn in 7–14 px), and because the same tower, with a class head, is what the
/// Fashion-MNIST classifier recipe pretrains (<c>Training.ImageClassifier</c>); the agent then starts its <c>image</c>
/// part from it. Its last layer is a <see cref="LoraLinear"/> (<c>image.proj</c>) so LoRA can adapt the tower.
///
/// Cost: most cells of a batch are the same few tiles (floor, wall, unseen, a handful of objects), so each distinct tile
/// is encoded once and the results are gathered back (an exact rewrite: same function, same gradients); this makes the
/// tower's cost grow with the number of distinct tiles, not with batch × 49.
/// </summary>
public sealed class CellEncoder : nn.Module
{
    public const int PooledSide = 4;
    private const int Cells = AgentObs.View * AgentObs.View;

    private readonly Conv2d conv1, conv2;
    private readonly LoraLinear proj;

    public int TileSize { get; }
    public int Dim { get; }

    public CellEncoder(string name, int tileSize, int channels, int dim) : base(name)
    {
        TileSize = tileSize;
        Dim = dim;
        conv1 = nn.Conv2d(3, channels, 3, padding: 1);
        conv2 = nn.Conv2d(channels, 2 * channels, 3, padding: 1);
        proj = new LoraLinear(2 * channels * PooledSide * PooledSide, dim);
        RegisterComponents();
    }

    /// <summary>
    /// FLOPs of encoding <paramref name="tiles"/> tiles: conv1 keeps t × t (padding 1), conv2 runs on the 2 × 2-pooled map
    /// when t ≥ 8, the projection once per tile. Counted densely (every cell's tile): <see cref="forward"/> encodes each
    /// distinct tile of a batch once, so the real cost is at most this.
    /// </summary>
    public void CountFlops(FlopCounter flops, long tiles)
    {
        long side = TileSize >= 2 * PooledSide ? TileSize / 2 : TileSize;
        flops.Conv2d(conv1, TileSize, TileSize, tiles).Conv2d(conv2, side, side, tiles).Linear(proj, tiles);
    }

    /// <summary>Tiles (M, t, t, 3) uint8 → (M, D).</summary>
    public Tensor EncodeTiles(Tensor tiles)
    {
        var x = PixelInput.Normalize(tiles).permute(0, 3, 1, 2);                    // (M, 3, t, t) float on the device
        x = F.relu(conv1.forward(x));                                                // (M, C, t, t)
        if (TileSize >= 2 * PooledSide) x = F.max_pool2d(x, 2);                     // (M, C, t/2, t/2)
        x = F.relu(conv2.forward(x));                                                // (M, 2C, ·, ·)
        x = F.adaptive_avg_pool2d(x, [PooledSide, PooledSide]);                     // (M, 2C, 4, 4)
        return proj.forward(x.flatten(1));                                           // (M, D)
    }

    /// <summary>Egocentric views (N, 7t, 7t, 3) uint8 → cell tokens (N, 49, D), row-major over the 7 × 7 cells.</summary>
    public Tensor forward(Tensor view)
    {
        long n = view.shape[0];
        int t = TileSize, v = AgentObs.View;
        var tiles = view.view(n, v, t, v, t, 3).permute(0, 1, 3, 2, 4, 5).reshape(n * Cells, t * t * 3); // (N·49, t·t·3)
        var (distinct, inverse, _) = tiles.unique(sorted: true, return_inverse: true, dim: 0);         // (U, t·t·3), (N·49)
        var encoded = EncodeTiles(distinct.view(-1, t, t, 3));                                          // (U, D)
        return encoded.index_select(0, inverse!).view(n, Cells, Dim);                                 // (N, 49, D)
    }
}
