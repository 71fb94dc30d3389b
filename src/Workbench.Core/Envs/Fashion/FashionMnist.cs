using System.Buffers.Binary;
using System.IO.Compression;

namespace Workbench.Envs;

/// <summary>One split of Fashion-MNIST: N grey-level 28×28 images (row-major bytes) and their class labels.</summary>
public sealed class FashionSplit
{
    public const int Side = 28;
    public const int Pixels = Side * Side;

    internal FashionSplit(byte[] images, byte[] labels)
    {
        if (images.Length != labels.Length * Pixels)
            throw new InvalidDataException($"{labels.Length} labels but {images.Length / Pixels} images");
        Images = images;
        Labels = labels;
        var byClass = new List<int>[FashionMnist.ClassCount];
        for (int k = 0; k < byClass.Length; k++) byClass[k] = [];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= FashionMnist.ClassCount) throw new InvalidDataException($"label {labels[i]} at {i} is not a Fashion-MNIST class");
            byClass[labels[i]].Add(i);
        }
        IndicesByClass = byClass.Select(l => (IReadOnlyList<int>)l.ToArray()).ToArray();
    }

    /// <summary>All images back to back, <see cref="Pixels"/> bytes each.</summary>
    public byte[] Images { get; }
    public byte[] Labels { get; }
    public int Count => Labels.Length;

    /// <summary>For each class, the indices of its images.</summary>
    public IReadOnlyList<IReadOnlyList<int>> IndicesByClass { get; }

    public ReadOnlyMemory<byte> Image(int index) => Images.AsMemory(index * Pixels, Pixels);
}

/// <summary>
/// Fashion-MNIST read from its idx files (gzipped or not), e.g. from the Debian package <c>dataset-fashion-mnist</c>
/// (<c>/usr/share/datasets/fashion-mnist</c>). idx format: big-endian magic 0x00000803 (images, 3 dims) or
/// 0x00000801 (labels, 1 dim), then each dimension as a big-endian int32, then unsigned bytes.
/// </summary>
public sealed class FashionMnist
{
    public const int ClassCount = 10;
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";
    public const string DirectoryVariable = "WORKBENCH_FASHION_MNIST";

    /// <summary>Class names as the dataset defines them.</summary>
    public static readonly IReadOnlyList<string> ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Names as missions say them: single lower-case words without punctuation ("top", "ankle boot").</summary>
    public static readonly IReadOnlyList<string> MissionNames =
        ["top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"];

    private static readonly Lazy<FashionMnist> Shared = new(() => Load(ResolveDirectory()));

    private FashionMnist(FashionSplit train, FashionSplit test)
    {
        Train = train;
        Test = test;
    }

    public FashionSplit Train { get; }
    public FashionSplit Test { get; }

    public static string MissionName(int fashionClass) => MissionNames[fashionClass];

    /// <summary>The dataset from <c>$WORKBENCH_FASHION_MNIST</c> or the Debian package's directory, loaded once per process.</summary>
    public static FashionMnist Default => Shared.Value;

    /// <summary>Where the files are looked for: <c>$WORKBENCH_FASHION_MNIST</c> if set, else the Debian package's directory.</summary>
    public static string ResolveDirectory() =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } dir ? dir : DefaultDirectory;

    /// <summary>True when all four idx files are present in <paramref name="directory"/> (default: <see cref="ResolveDirectory"/>).</summary>
    public static bool IsAvailable(string? directory = null)
    {
        var dir = directory ?? ResolveDirectory();
        return Stems.All(stem => FindFile(dir, stem) is not null);
    }

    private static readonly string[] Stems =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>Reads the four idx files (".gz" or plain) from a directory.</summary>
    /// <exception cref="FileNotFoundException">a file is missing; the message says which package provides them.</exception>
    public static FashionMnist Load(string directory)
    {
        string Need(string stem) => FindFile(directory, stem) ?? throw new FileNotFoundException(
            $"Fashion-MNIST file '{stem}[.gz]' not found in '{directory}'. Install the Debian package " +
            $"'dataset-fashion-mnist' (apt-get install dataset-fashion-mnist) or point ${DirectoryVariable} at a folder with the idx files.");
        return new FashionMnist(Split(Need(Stems[0]), Need(Stems[1])), Split(Need(Stems[2]), Need(Stems[3])));
    }

    private static FashionSplit Split(string imagesPath, string labelsPath)
    {
        var images = ReadIdx(imagesPath, 3);
        var labels = ReadIdx(labelsPath, 1);
        try
        {
            return new FashionSplit(images, labels);
        }
        catch (InvalidDataException e)
        {
            throw new UserError($"{imagesPath} and {labelsPath} do not match: {e.Message}", e);
        }
    }

    private static string? FindFile(string directory, string stem)
    {
        foreach (var name in new[] { stem + ".gz", stem })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>Reads an idx file of unsigned bytes with the expected number of dimensions; returns the payload.</summary>
    /// <exception cref="UserError">the file is not a readable idx file (bad magic, wrong dimensions, truncated, bad gzip), naming it.</exception>
    public static byte[] ReadIdx(string path, int expectedDims)
    {
        try
        {
            return ReadIdxUnchecked(path, expectedDims);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or OverflowException)
        {
            string problem = e is EndOfStreamException ? "the file ends early (truncated download?)" : e.Message.Replace($"{path}: ", "");
            throw new UserError($"{path}: corrupt Fashion-MNIST idx file: {problem}; reinstall the Debian package dataset-fashion-mnist or point ${DirectoryVariable} at good files", e);
        }
    }

    private static byte[] ReadIdxUnchecked(string path, int expectedDims)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        Span<byte> header = stackalloc byte[4];
        stream.ReadExactly(header);
        if (header[0] != 0 || header[1] != 0 || header[2] != 0x08)
            throw new InvalidDataException($"{path}: not an idx file of unsigned bytes (magic {Convert.ToHexString(header)})");
        int dims = header[3];
        if (dims != expectedDims) throw new InvalidDataException($"{path}: {dims} dimensions, expected {expectedDims}");
        long total = 1;
        Span<byte> dim = stackalloc byte[4];
        for (int d = 0; d < dims; d++)
        {
            stream.ReadExactly(dim);
            int size = BinaryPrimitives.ReadInt32BigEndian(dim);
            if (size < 0) throw new InvalidDataException($"dimension {d} is {size}");
            total = checked(total * size);
        }
        if (total > Array.MaxLength) throw new InvalidDataException($"{total} bytes declared, more than any Fashion-MNIST file holds");
        var data = new byte[total];
        stream.ReadExactly(data);
        return data;
    }
}
