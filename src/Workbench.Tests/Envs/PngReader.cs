using System.Buffers.Binary;
using System.IO.Compression;

namespace Workbench.Tests.Envs;

/// <summary>
/// Reads back any non-interlaced 8-bit RGB PNG (all five row filters) into H×W×3 bytes, so tests can compare the pixels
/// the library's <see cref="Workbench.Envs.Png"/> writer produced exactly. Only tests read PNGs.
/// </summary>
internal static class PngReader
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>Decodes an 8-bit RGB, non-interlaced PNG into (pixels H×W×3, width, height).</summary>
    public static (byte[] Rgb, int Width, int Height) Decode(byte[] png)
    {
        if (!png.AsSpan(0, 8).SequenceEqual(Signature)) throw new InvalidDataException("not a PNG file");
        int pos = 8, width = 0, height = 0;
        using var idat = new MemoryStream();
        while (pos < png.Length)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, len);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[9] != 2 || data[12] != 0) throw new InvalidDataException("only 8-bit RGB non-interlaced PNGs are supported");
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            pos += 12 + len;
        }
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        int stride = width * 3;
        var rgb = new byte[height * stride];
        var prev = new byte[stride];
        var line = new byte[stride + 1];
        for (int y = 0; y < height; y++)
        {
            z.ReadExactly(line);
            var cur = rgb.AsSpan(y * stride, stride);
            for (int i = 0; i < stride; i++)
            {
                int a = i >= 3 ? cur[i - 3] : 0, b = prev[i], c = i >= 3 ? prev[i - 3] : 0;
                int x = line[i + 1];
                cur[i] = line[0] switch
                {
                    0 => (byte)x,
                    1 => (byte)(x + a),
                    2 => (byte)(x + b),
                    3 => (byte)(x + ((a + b) >> 1)),
                    4 => (byte)(x + Paeth(a, b, c)),
                    _ => throw new InvalidDataException($"bad PNG filter {line[0]}"),
                };
            }
            cur.CopyTo(prev);
        }
        return (rgb, width, height);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
