using Parquet;
using Parquet.Schema;
using Workbench.Envs;
using Workbench.Runtime;

namespace Workbench.Data;

/// <summary>
/// Writes Fashion-MNIST (read by <see cref="FashionMnist"/>) to Parquet: train.parquet and test.parquet with one row per
/// image — index:int32, label:int32, label_name:string, image:binary (28×28 grey bytes, row-major).
/// </summary>
public static class FashionMnistImport
{
    public static readonly DataField<int> Index = new("index", false);
    public static readonly DataField<int> Label = new("label", false);
    public static readonly DataField<string> LabelName = new("label_name", false);
    public static readonly DataField<byte[]> Image = new("image", false);
    public static readonly ParquetSchema Schema = new(Index, Label, LabelName, Image);

    public const int RowsPerGroup = 10_000;

    /// <summary>Returns the files written with their row counts and sha256.</summary>
    public static IReadOnlyList<CardFile> Write(string folder, FashionMnist data)
    {
        Directory.CreateDirectory(folder);
        var files = new List<CardFile>();
        foreach (var (name, split) in new[] { ("train", data.Train), ("test", data.Test) })
        {
            string path = Path.Combine(folder, $"{name}.parquet");
            AtomicFile.Write(path, stream => WriteSplit(stream, split));
            var reader = ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
            int groups = reader.RowGroupCount;
            DemoFile.Close(reader);
            files.Add(new CardFile(Path.GetFileName(path), new FileInfo(path).Length, split.Count, groups, DatasetBuilder.Sha256File(path)));
        }
        return files;
    }

    private static void WriteSplit(Stream stream, FashionSplit split)
    {
        var writer = ParquetWriter.CreateAsync(Schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Zstd }).GetAwaiter().GetResult();
        writer.CustomMetadata = new Dictionary<string, string> { ["workbench.source"] = "Fashion-MNIST idx files", ["workbench.image_shape"] = "28x28" };
        for (int start = 0; start < split.Count; start += RowsPerGroup)
        {
            int n = Math.Min(RowsPerGroup, split.Count - start);
            var index = Enumerable.Range(start, n).ToArray();
            var label = index.Select(i => (int)split.Labels[i]).ToArray();
            var names = label.Select(l => FashionMnist.ClassNames[l]).ToArray();
            var images = index.Select(i => split.Image(i).ToArray()).ToArray();
            using var group = writer.CreateRowGroup();
            group.WriteAsync<int>(Index, index).GetAwaiter().GetResult();
            group.WriteAsync<int>(Label, label).GetAwaiter().GetResult();
            group.WriteAsync(LabelName, names).GetAwaiter().GetResult();
            group.WriteAsync(Image, images).GetAwaiter().GetResult();
        }
        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
