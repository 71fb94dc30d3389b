using Workbench.Envs;

namespace Workbench.Tests.Envs;

public class FashionMnistTests
{
    [FashionFact]
    public void Dataset_has_60000_train_and_10000_test_images_balanced_over_classes()
    {
        var data = FashionMnist.Default;
        Assert.Equal(60_000, data.Train.Count);
        Assert.Equal(10_000, data.Test.Count);
        Assert.Equal(60_000 * 784, data.Train.Images.Length);
        for (int k = 0; k < FashionMnist.ClassCount; k++)
        {
            Assert.Equal(6_000, data.Train.IndicesByClass[k].Count);
            Assert.Equal(1_000, data.Test.IndicesByClass[k].Count);
        }
    }

    [FashionFact]
    public void Images_are_pictures_not_blank()
    {
        var data = FashionMnist.Default;
        for (int i = 0; i < 100; i++)
        {
            var img = data.Train.Image(i).Span;
            int lit = 0;
            foreach (byte b in img) if (b > 0) lit++;
            Assert.InRange(lit, 50, 784);
        }
    }

    [Fact]
    public void Missing_dataset_fails_with_a_message_naming_the_package()
    {
        var dir = Path.Combine(Path.GetTempPath(), "no-fashion-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            Assert.False(FashionMnist.IsAvailable(dir));
            var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(dir));
            Assert.Contains("dataset-fashion-mnist", e.Message);
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [Fact]
    public void Idx_reader_rejects_files_that_are_not_idx()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [1, 2, 3, 4, 5, 6, 7, 8]);
            var e = Assert.Throws<UserError>(() => FashionMnist.ReadIdx(path, 1));
            Assert.Contains(path, e.Message);
            Assert.Contains("not an idx file", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_truncated_or_corrupt_idx_file_is_an_exit_2_error_naming_the_file()
    {
        // What a user sees from `workbench data import-fashion-mnist --from DIR` when one file is damaged: one line
        // naming the file, exit 2, no stack trace. Truncated payload, truncated gzip and a bad gzip stream.
        string dir = TestSupport.TempDir();
        byte[] Idx(byte dims, int[] sizes, int payload) =>
            [0, 0, 8, dims, .. sizes.SelectMany(n => new[] { (byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n }), .. new byte[payload]];
        void Gz(string name, byte[] bytes)
        {
            using var file = File.Create(Path.Combine(dir, name));
            using var gz = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest);
            gz.Write(bytes);
        }
        Gz("train-images-idx3-ubyte.gz", Idx(3, [2, 28, 28], 2 * 784));
        Gz("train-labels-idx1-ubyte.gz", Idx(1, [2], 2));
        Gz("t10k-images-idx3-ubyte.gz", Idx(3, [2, 28, 28], 784)); // says 2 images, holds 1
        Gz("t10k-labels-idx1-ubyte.gz", Idx(1, [2], 2));
        var (code, err) = Import(dir);
        Assert.Equal(2, code);
        Assert.Contains("t10k-images-idx3-ubyte.gz", err);
        Assert.Contains("corrupt Fashion-MNIST idx file", err);
        Assert.DoesNotContain("   at ", err);

        File.WriteAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7]); // gzip header, garbage body
        (code, err) = Import(dir);
        Assert.Equal(2, code);
        Assert.Contains("t10k-images-idx3-ubyte.gz", err);
        Assert.Empty(Directory.GetFiles(dir, "*.parquet", SearchOption.AllDirectories));

        static (int, string) Import(string from)
        {
            var run = Workbench.Tests.Cli.CliRun.Of("data", "import-fashion-mnist", "--from", from, "--out", Path.Combine(from, "out"));
            return (run.Code, run.Err);
        }
    }

    [FashionFact]
    public void FashionGrid_missions_name_a_class_present_in_the_room_and_pixels_show_the_picture()
    {
        var env = LevelRegistry.Create("FashionGoTo");
        for (int seed = 0; seed < 30; seed++)
        {
            env.Reset(seed);
            var items = env.Grid.Objects().ToList();
            Assert.Equal(FashionLevels.Items, items.Count);
            Assert.Equal(FashionLevels.Items, items.Select(i => i.FashionClass).Distinct().Count());
            Assert.Contains(items, i => env.Mission == "go to the " + FashionMnist.MissionName(i.FashionClass));
        }
        // The symbolic view does not reveal the class: every item encodes the same.
        Assert.All(env.Grid.Objects(), o => Assert.Equal((ObjectType.FashionItem, Color.Grey), (o.Type, o.Color)));
    }
}
