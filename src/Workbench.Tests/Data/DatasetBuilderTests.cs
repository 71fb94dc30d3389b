using System.Buffers.Binary;
using Workbench.Config;
using Workbench.Data;
using Workbench.Envs;

namespace Workbench.Tests.Data;

public sealed class DatasetBuilderTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private DatasetConfig Recipe(string output) => ConfigLoader.FromYaml<DatasetConfig>($"""
        name: tiny
        levels: [GoToRedBallGrey, GoToLocal]
        episodes: 120
        rows_per_group: 100
        shard_rows: 300
        output: {output}
        seed: 4
        """);

    [Fact]
    public void The_same_recipe_builds_byte_identical_files_and_a_card_that_counts_them()
    {
        var first = DatasetBuilder.Build(Recipe(_tmp["one"]), TextWriter.Null);
        var second = DatasetBuilder.Build(Recipe(_tmp["two"]), TextWriter.Null);

        Assert.True(first.Files.Count > 1);
        Assert.Equal(first.Files.Select(f => f.Sha256), second.Files.Select(f => f.Sha256));
        Assert.Equal(first.Fingerprint, second.Fingerprint);
        Assert.Equal(first.Files.Select(f => f.Sha256), first.Files.Select(f => DatasetBuilder.Sha256File(Path.Combine(_tmp["one"], f.Name))));
        Assert.Equal(120, first.Episodes);
        Assert.Equal([60L, 60L], first.Levels.Select(l => l.Episodes));
        Assert.Equal(first.Steps, first.Files.Sum(f => f.Rows));
        Assert.True(File.Exists(Path.Combine(_tmp["one"], "card.json")));
        Assert.Contains(first.Fingerprint, File.ReadAllText(Path.Combine(_tmp["one"], "README.md")));
        Assert.Empty(DataInspector.Verify(_tmp["one"]));

        using var loader = StreamingLoader.Open(_tmp["one"]);
        var episodes = Enumerable.Range(0, 120).Select(_ => loader.Next()).ToList();
        Assert.Equal(Enumerable.Range(0, 120).Select(i => (long)i), episodes.Select(e => e.EpisodeId).Order());
        Assert.All(episodes, e => Assert.All(e.Steps, s => Assert.Equal(Observation.SymbolicLength, s.Obs.Length)));
        Assert.All(episodes, e => Assert.True(e.Steps[^1].Done));
    }

    [Fact]
    public void A_different_seed_changes_the_data()
    {
        var a = DatasetBuilder.Build(Recipe(_tmp["a"]), TextWriter.Null);
        var b = DatasetBuilder.Build(Recipe(_tmp["b"]) with { Seed = 5 }, TextWriter.Null);
        Assert.NotEqual(a.Fingerprint, b.Fingerprint);
    }

    [Fact]
    public void A_recipe_with_an_unknown_level_names_the_key_and_suggests_a_fix()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.FromYaml<DatasetConfig>("name: x\nlevels: [GoToRedBal]\nepisodes: 5\n"));
        Assert.Contains("levels[0]", error.Message);
        Assert.Contains("GoToRedBall", error.Message);
    }

    [Fact]
    public void Too_few_seeds_for_the_episodes_is_a_config_error()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.FromYaml<DatasetConfig>(
            "name: x\nlevels: [GoToRedBallGrey]\nepisodes: 5\nseeds: {list: [1, 2]}\n"));
        Assert.Contains("seeds", error.Message);
    }

    [Fact]
    public async Task Fashion_mnist_import_writes_images_and_labels()
    {
        string idx = _tmp["idx"];
        Directory.CreateDirectory(idx);
        void WriteIdx(string name, byte[] payload, params int[] dims)
        {
            using var s = File.Create(Path.Combine(idx, name));
            s.Write([0, 0, 8, (byte)dims.Length]);
            Span<byte> d = stackalloc byte[4];
            foreach (int n in dims) { BinaryPrimitives.WriteInt32BigEndian(d, n); s.Write(d); }
            s.Write(payload);
        }
        var images = Enumerable.Range(0, 12 * 784).Select(i => (byte)(i % 251)).ToArray();
        var labels = Enumerable.Range(0, 12).Select(i => (byte)(i % 10)).ToArray();
        foreach (var split in new[] { "train", "t10k" })
        {
            WriteIdx($"{split}-images-idx3-ubyte", images, 12, 28, 28);
            WriteIdx($"{split}-labels-idx1-ubyte", labels, 12);
        }
        var files = FashionMnistImport.Write(_tmp["out"], FashionMnist.Load(idx));
        Assert.Equal(["train.parquet", "test.parquet"], files.Select(f => f.Name));
        Assert.All(files, f => Assert.Equal(12, f.Rows));

        await using var reader = await Parquet.ParquetReader.CreateAsync(Path.Combine(_tmp["out"], "train.parquet"));
        using var group = reader.OpenRowGroupReader(0);
        var read = new byte[]?[12];
        await group.ReadAsync(FashionMnistImport.Image, read.AsMemory());
        Assert.Equal(images[784..1568], read[1]);
    }
}
