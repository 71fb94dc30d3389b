using System.Globalization;

namespace Workbench.Envs;

/// <summary>What an observation is made of: MiniGrid's symbolic encoding, or rendered pixels.</summary>
public enum ObservationModality
{
    /// <summary>7×7×3 bytes (object, colour, state) per view cell.</summary>
    Symbolic,

    /// <summary>The egocentric 7×7 view rendered as (7·tile)×(7·tile)×3 RGB bytes (<see cref="EnvRendering.RenderEgocentric(GridEnv, int, Span{byte})"/>).</summary>
    Rgb,
}

/// <summary>
/// The observation contract between datasets, models and rollouts: modality and, for pixels, the tile size (pixels per
/// grid cell), hence the image shape. A dataset declares the spec it was built with, a model the spec it reads; the two
/// must be equal, and rollouts render what the model's spec says. Every observation is H×W×3 bytes, row-major,
/// channel last — symbolic (7, 7, 3) or RGB (7·tile, 7·tile, 3) — so batching is the same byte copy for both.
/// </summary>
public sealed record ObservationSpec(ObservationModality Modality, int TileSize = 0)
{
    public const int MinTile = 4, MaxTile = 128;

    public static readonly ObservationSpec Symbolic = new(ObservationModality.Symbolic);

    /// <summary>RGB pixels at <paramref name="tileSize"/> pixels per cell.</summary>
    public static ObservationSpec Rgb(int tileSize) =>
        tileSize is >= MinTile and <= MaxTile
            ? new(ObservationModality.Rgb, tileSize)
            : throw new ArgumentOutOfRangeException(nameof(tileSize), tileSize, $"tile size must be {MinTile}..{MaxTile} pixels");

    public bool IsPixels => Modality == ObservationModality.Rgb;
    public int Height => IsPixels ? Observation.ViewSize * TileSize : Observation.ViewSize;
    public int Width => Height;
    public int Channels => 3;
    public int BytesPerStep => Height * Width * Channels;

    /// <summary>"7x7x3" or e.g. "56x56x3" (the dataset metadata's <c>workbench.obs_shape</c> form).</summary>
    public string Shape => string.Create(CultureInfo.InvariantCulture, $"{Height}x{Width}x{Channels}");

    /// <summary>How configs and messages name it: "symbolic (7x7x3)", "rgb tile 8 (56x56x3)".</summary>
    public string Describe() => IsPixels ? $"rgb tile {TileSize} ({Shape})" : $"symbolic ({Shape})";

    public override string ToString() => Describe();

    /// <summary>
    /// The bytes a model with this spec reads for the current state of <paramref name="env"/>, as the agent is shown it:
    /// <paramref name="shown"/> is the (possibly perturbed) symbolic observation; pixels are rendered from the environment
    /// with the cells where <paramref name="shown"/> differs from the real view drawn from the shown encoding.
    /// </summary>
    public byte[] Encode(GridEnv env, Observation shown)
    {
        if (!IsPixels) return shown.Symbolic;
        var rgb = new byte[BytesPerStep];
        EnvRendering.RenderEgocentric(env, TileSize, rgb, shown.Symbolic);
        return rgb;
    }
}
