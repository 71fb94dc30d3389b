using System.IO.Compression;
using Workbench.Data;
using Workbench.Envs;

namespace Workbench.Tests.Training;

/// <summary>A small dataset in Fashion-MNIST's own formats (idx files, then the Parquet of the import) with easily told classes.</summary>
internal static class SyntheticFashion
{
    /// <summary>Writes idx files under <paramref name="dir"/>/idx and imports them to <paramref name="dir"/>/fashion (returned).</summary>
    public static string Imported(string dir)
    {
        string data = Path.Combine(dir, "fashion"), idx = Path.Combine(dir, "idx");
        Directory.CreateDirectory(idx);
        WriteSplit(idx, "train", perClass: 30, seed: 1);
        WriteSplit(idx, "t10k", perClass: 10, seed: 2);
        FashionMnistImport.Write(data, FashionMnist.Load(idx));
        return data;
    }

    /// <summary>Class k is a bright 6×6 block at its own place on a noisy background: learnable in a few dozen steps.</summary>
    public static void WriteSplit(string folder, string stem, int perClass, int seed)
    {
        var rng = new Random(seed);
        int n = perClass * FashionMnist.ClassCount;
        var images = new byte[n * FashionSplit.Pixels];
        var labels = new byte[n];
        for (int i = 0; i < n; i++)
        {
            int k = i % FashionMnist.ClassCount;
            labels[i] = (byte)k;
            int x0 = 2 + (k % 5) * 5, y0 = 4 + (k / 5) * 12;
            for (int p = 0; p < FashionSplit.Pixels; p++)
            {
                int x = p % FashionSplit.Side, y = p / FashionSplit.Side;
                bool inside = x >= x0 && x < x0 + 6 && y >= y0 && y < y0 + 6;
                images[i * FashionSplit.Pixels + p] = (byte)(inside ? 200 + rng.Next(55) : rng.Next(40));
            }
        }
        Idx(Path.Combine(folder, $"{stem}-images-idx3-ubyte.gz"), [n, FashionSplit.Side, FashionSplit.Side], images);
        Idx(Path.Combine(folder, $"{stem}-labels-idx1-ubyte.gz"), [n], labels);
    }

    public static void Idx(string path, int[] dims, byte[] payload)
    {
        using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gz.Write([0, 0, 8, (byte)dims.Length]);
        foreach (int d in dims) gz.Write([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        gz.Write(payload);
    }

}
