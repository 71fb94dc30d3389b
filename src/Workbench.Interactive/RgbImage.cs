using System.Globalization;
using System.Text;
using Workbench.Envs;
using Workbench.Reporting;

namespace Workbench.Interactive;

/// <summary>
/// An RGB picture to show in a notebook: a rendered level, or one observation of an image dataset
/// (<c>obs</c> bytes laid out <c>[row][col][channel]</c>). Displayed as a PNG, enlarged by whole pixels
/// (<see cref="Scale"/>) so a 56×56 agent view stays crisp.
/// </summary>
public sealed record RgbImage(byte[] Rgb, int Width, int Height, string Caption = "", int Scale = 1)
{
    /// <summary>Image from <see cref="EnvRendering.RenderFull"/> / <see cref="EnvRendering.RenderEgocentric(GridEnv, int)"/> output.</summary>
    public static RgbImage From((byte[] Rgb, int Width, int Height) rendered, string caption = "", int scale = 1) =>
        new(rendered.Rgb, rendered.Width, rendered.Height, caption, scale);

    /// <summary>
    /// One stored observation of an image dataset, shaped by the file's <c>workbench.obs_shape</c>
    /// (<see cref="Data.DemoFileInfo.ObsShape"/>, "HxWx3", e.g. "56x56x3").
    /// </summary>
    /// <remarks>Copies the bytes: a loader's observations are slices of row-group buffers that it recycles.</remarks>
    /// <exception cref="UserError">the shape is not HxWx3 or does not match the byte count.</exception>
    public static RgbImage FromObservation(ReadOnlyMemory<byte> obs, string obsShape, string caption = "", int scale = 4)
    {
        var parts = obsShape.Split('x');
        if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int h)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int w) || parts[2] != "3")
            throw new UserError($"observation shape '{obsShape}' is not HxWx3 (an RGB observation, e.g. 56x56x3)");
        if (obs.Length != h * w * 3)
            throw new UserError($"observation has {obs.Length} bytes, but shape {obsShape} needs {h * w * 3} (a symbolic observation is not an image)");
        return new RgbImage(obs.ToArray(), w, h, caption, scale);
    }

    public byte[] ToPng()
    {
        if (Scale < 1) throw new UserError($"image scale must be at least 1, got {Scale}");
        if (Scale == 1) return Png.Encode(Rgb, Width, Height);
        int w = Width * Scale, h = Height * Scale;
        var big = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        {
            int source = (y / Scale) * Width;
            for (int x = 0; x < w; x++)
                Rgb.AsSpan((source + x / Scale) * 3, 3).CopyTo(big.AsSpan((y * w + x) * 3, 3));
        }
        return Png.Encode(big, w, h);
    }
}

/// <summary>Several images side by side with their captions (e.g. the first steps of an episode).</summary>
public sealed record ImageRow(IReadOnlyList<RgbImage> Images)
{
    public ImageRow(IEnumerable<RgbImage> images) : this(images.ToList()) { }

    public static string ToHtml(ImageRow row)
    {
        var sb = new StringBuilder("<div data-workbench=\"image-row\" style=\"display:flex;flex-wrap:wrap;gap:8px\">");
        foreach (var image in row.Images)
        {
            sb.Append("<figure style=\"margin:0;text-align:center;font-family:system-ui,sans-serif;font-size:12px\">");
            sb.Append("<img src=\"data:image/png;base64,").Append(Convert.ToBase64String(image.ToPng()))
              .Append("\" width=\"").Append(image.Width * image.Scale).Append("\" height=\"").Append(image.Height * image.Scale)
              .Append("\" alt=\"").Append(Html.Encode(image.Caption)).Append("\" style=\"image-rendering:pixelated\">");
            if (image.Caption.Length > 0) sb.Append("<figcaption>").Append(Html.Encode(image.Caption)).Append("</figcaption>");
            sb.Append("</figure>");
        }
        return sb.Append("</div>").ToString();
    }
}
