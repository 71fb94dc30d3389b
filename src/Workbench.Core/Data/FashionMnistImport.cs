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

    /// <summary>
    /// Reads one imported split (train.parquet or test.parquet) back: labels and the images back to back
    /// (<see cref="FashionSplit.Pixels"/> bytes each), in row order. Every problem names the file (and the column).
    /// </summary>
    /// <exception cref="UserError">missing file, not Parquet, another schema, an image of the wrong length or a label out of range.</exception>
    public static (int[] Labels, byte[] Images) Read(string path)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: not found; write it with `workbench data import-fashion-mnist --out {Path.GetDirectoryName(path)}`");
        try
        {
            using var stream = File.OpenRead(path);
            var reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
            try
            {
                return ReadSplit(path, reader);
            }
            finally
            {
                DemoFile.Close(reader);
            }
        }
        catch (Exception e) when (e is not UserError and (IOException or InvalidDataException or InvalidCastException or NotSupportedException or Parquet.ParquetException))
        {
            throw new BadDataFileException(path, $"cannot read it as an imported Fashion-MNIST split ({e.Message})", inner: e);
        }
    }

    private static (int[] Labels, byte[] Images) ReadSplit(string path, ParquetReader reader)
    {
        var fields = reader.Schema.GetDataFields();
        DataField Field(string name) => fields.FirstOrDefault(f => f.Name == name)
            ?? throw new BadDataFileException(path, $"no '{name}' column (expected the columns of `workbench data import-fashion-mnist`: index, label, label_name, image)", name);
        var labelField = Field(Label.Name);
        var imageField = Field(Image.Name);
        var labels = new List<int>();
        var images = new List<byte>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var l = DemoFile.ReadColumn<int>(path, g, group, labelField);
            var im = DemoFile.ReadRefsAsync<byte[]>(path, g, group, imageField, (int)group.RowCount, default).GetAwaiter().GetResult();
            for (int i = 0; i < l.Length; i++)
            {
                if (l[i] is < 0 or >= FashionMnist.ClassCount)
                    throw new BadDataFileException(path, $"label {l[i]} at row {labels.Count} is not a Fashion-MNIST class (0..{FashionMnist.ClassCount - 1})", Label.Name, g);
                if (im[i].Length != FashionSplit.Pixels)
                    throw new BadDataFileException(path, $"image at row {labels.Count} has {im[i].Length} bytes, expected {FashionSplit.Pixels} (28x28 grey)", Image.Name, g);
                labels.Add(l[i]);
                images.AddRange(im[i]);
            }
        }
        return (labels.ToArray(), images.ToArray());
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
