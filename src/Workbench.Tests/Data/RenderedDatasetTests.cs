using Workbench.Config;
using Workbench.Data;
using Workbench.Envs;
using Workbench.Tests.Envs;
using Workbench.Training;

namespace Workbench.Tests.Data;

/// <summary>Datasets of rendered observations (observation: rgb | fashion) and training's refusal of them.</summary>
public sealed class RenderedDatasetTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private static DatasetConfig Recipe(string output, string observation = "rgb", string levels = "[GoToRedBallGrey, GoToLocal]",
        int episodes = 24, string extra = "") => ConfigLoader.FromYaml<DatasetConfig>($"""
        name: pixels
        levels: {levels}
        episodes: {episodes}
        observation: {observation}
        rows_per_group: 16
        shard_rows: 48
        output: {output}
        seed: 3
        {extra}
        """);

    /// <summary>Every episode of a built folder, read back through the loader (one epoch).</summary>
    private static List<DemoEpisode> ReadAll(string folder, long episodes)
    {
        using var loader = StreamingLoader.Open(folder);
        return Enumerable.Range(0, (int)episodes).Select(_ => loader.Next()).ToList();
    }

    /// <summary>What the agent sees at reset of <paramref name="level"/> with <paramref name="seed"/>, rendered independently of the builder.</summary>
    private static byte[] ResetFrame(string level, long seed, int tileSize)
    {
        var env = LevelRegistry.Create(level);
        env.Reset(seed);
        return EnvRendering.RenderEgocentric(env, tileSize);
    }

    [Fact]
    public void An_rgb_build_is_deterministic_and_stores_the_egocentric_render_with_its_shape()
    {
        var first = DatasetBuilder.Build(Recipe(_tmp["one"]), TextWriter.Null);
        var second = DatasetBuilder.Build(Recipe(_tmp["two"]), TextWriter.Null);

        Assert.True(first.Files.Count > 1);
        Assert.Equal(first.Files.Select(f => f.Sha256), second.Files.Select(f => f.Sha256));
        Assert.Equal(first.Fingerprint, second.Fingerprint);
        Assert.Equal("rgb", first.ObsKind);
        Assert.Equal("56x56x3", first.ObsShape);
        Assert.Equal(DatasetConfig.DefaultTileSize, first.TileSize);
        Assert.Contains("56x56x3", File.ReadAllText(Path.Combine(_tmp["one"], "README.md")));
        Assert.Empty(DataInspector.Verify(_tmp["one"]));

        var info = DemoFile.Open(Path.Combine(_tmp["one"], first.Files[0].Name));
        Assert.Equal("rgb", info.ObsKind);
        Assert.Equal("56x56x3", info.Metadata[DemoSchema.ObsShapeKey]);
        Assert.Equal("8", info.Metadata[DemoSchema.TileSizeKey]);
        long bytes = DemoSchema.ShapeBytes(info.ObsShape)!.Value;
        Assert.Equal(56 * 56 * 3, bytes);
        Assert.Equal(EnvRendering.EgocentricLength(8), bytes);

        var episodes = ReadAll(_tmp["one"], first.Episodes);
        Assert.Equal(first.Steps, episodes.Sum(e => (long)e.Steps.Length));
        Assert.All(episodes, e => Assert.All(e.Steps, s => Assert.Equal(bytes, s.Obs.Length)));
        foreach (var e in episodes)
            Assert.Equal(ResetFrame(e.Level, e.Seed, 8), e.Steps[0].Obs.ToArray());
        // Later frames move with the agent: an episode of several steps does not repeat its first picture throughout.
        Assert.Contains(episodes, e => e.Steps.Length > 1 && !e.Steps[1].Obs.Span.SequenceEqual(e.Steps[0].Obs.Span));

        Assert.Contains("obs rgb 56x56x3 (tile 8 px)", DataInspector.Inspect(_tmp["one"]));
    }

    [Fact]
    public void Tile_size_sets_the_image_shape_and_symbolic_builds_keep_147_bytes()
    {
        var small = DatasetBuilder.Build(Recipe(_tmp["small"], levels: "[GoToRedBallGrey]", episodes: 6, extra: "tile_size: 4"), TextWriter.Null);
        Assert.Equal("28x28x3", small.ObsShape);
        var e = ReadAll(_tmp["small"], small.Episodes);
        Assert.All(e, ep => Assert.Equal(ResetFrame(ep.Level, ep.Seed, 4), ep.Steps[0].Obs.ToArray()));

        var symbolic = DatasetBuilder.Build(Recipe(_tmp["sym"], observation: "symbolic", levels: "[GoToRedBallGrey]", episodes: 6), TextWriter.Null);
        Assert.Equal("symbolic", symbolic.ObsKind);
        Assert.Equal("7x7x3", symbolic.ObsShape);
        Assert.Null(symbolic.TileSize);
        Assert.All(ReadAll(_tmp["sym"], 6), ep => Assert.All(ep.Steps, s => Assert.Equal(Observation.SymbolicLength, s.Obs.Length)));

        var error = Assert.Throws<ConfigException>(() => Recipe(_tmp["x"], extra: "tile_size: 2"));
        Assert.Contains("tile_size", error.Message);
    }

    [FashionFact]
    public void A_fashion_build_renders_the_pictures_of_FashionGrid_levels()
    {
        var card = DatasetBuilder.Build(Recipe(_tmp["f"], observation: "fashion", levels: "[FashionGoTo, FashionPickup]", episodes: 12), TextWriter.Null);
        Assert.Equal("fashion", card.ObsKind);
        Assert.Equal("56x56x3", card.ObsShape);
        Assert.Empty(DataInspector.Verify(_tmp["f"]));
        var episodes = ReadAll(_tmp["f"], card.Episodes);
        Assert.Equal(["FashionGoTo", "FashionPickup"], episodes.Select(e => e.Level).Distinct().Order());
        foreach (var e in episodes)
            Assert.Equal(ResetFrame(e.Level, e.Seed, 8), e.Steps[0].Obs.ToArray());
        Assert.Contains("obs fashion 56x56x3", DataInspector.Inspect(_tmp["f"]));
    }

    [Fact]
    public void Fashion_observations_refuse_a_level_that_is_not_a_FashionGrid_level()
    {
        var error = Assert.Throws<ConfigException>(() => Recipe(_tmp["x"], observation: "fashion", levels: "[FashionGoTo, GoToLocal]"));
        Assert.Contains("levels[1]", error.Message);
        Assert.Contains("'GoToLocal'", error.Message);
        Assert.Contains("FashionGoTo, FashionPickup", error.Message);

        // A recipe made in code skips validation; the builder still refuses before writing anything.
        var inCode = Recipe(_tmp["y"], levels: "[GoToLocal]") with { Observation = ObservationKind.Fashion };
        var built = Assert.Throws<UserError>(() => DatasetBuilder.Build(inCode, TextWriter.Null));
        Assert.Contains("'GoToLocal'", built.Message);
        Assert.Contains("FashionPickup", built.Message);
        Assert.False(Directory.Exists(_tmp["y"]));
    }

    [Fact]
    public void Missing_Fashion_MNIST_files_are_a_user_error_naming_the_Debian_package()
    {
        Directory.CreateDirectory(_tmp["empty"]);
        var recipe = Recipe(_tmp["z"], observation: "fashion", levels: "[FashionGoTo]");
        var error = Assert.Throws<UserError>(() => DatasetBuilder.CheckObservation(recipe, _tmp["empty"]));
        Assert.Contains("dataset-fashion-mnist", error.Message);
        Assert.Contains("FashionGoTo", error.Message);
        Assert.Contains(_tmp["empty"], error.Message);
    }

    [Fact]
    public void A_symbolic_model_refuses_an_rgb_dataset_up_front_naming_it_both_observations_and_the_fix()
    {
        DatasetBuilder.Build(Recipe(_tmp["rgb"], levels: "[GoToRedBallGrey]", episodes: 6), TextWriter.Null);
        var data = new DataSection { Sources = [new DataSource { Path = _tmp["rgb"] }] };

        var error = Assert.Throws<UserError>(() => EpisodeSources.Open(data, seed: 1, ObservationSpec.Symbolic));
        Assert.Contains("'pixels'", error.Message);
        Assert.Contains("rgb tile 8 (56x56x3)", error.Message);
        Assert.Contains("the model reads symbolic (7x7x3)", error.Message);
        Assert.Contains("set model.observation: rgb and model.tile_size: 8", error.Message);
        Assert.Equal(error.Message, Assert.Throws<UserError>(() => EpisodeSources.Validation(data, seed: 1, ObservationSpec.Symbolic)).Message);

        // A pixel model at another tile size is refused too; at the dataset's own spec the stream opens.
        Assert.Contains("rgb tile 16 (112x112x3)", Assert.Throws<UserError>(() => EpisodeSources.Open(data, seed: 1, ObservationSpec.Rgb(16))).Message);
        using (var stream = EpisodeSources.Open(data, seed: 1, ObservationSpec.Rgb(8)))
            Assert.Equal(ObservationSpec.Rgb(8).BytesPerStep, stream.Next().Steps[0].Obs.Length);

        // data.build: refused before the (possibly large) build starts.
        string recipePath = _tmp["pixels.yaml"];
        File.WriteAllText(recipePath, $"kind: dataset\nname: pixels\nlevels: [GoToRedBallGrey]\nepisodes: 6\nobservation: rgb\noutput: {_tmp["never"]}\n");
        var fromBuild = Assert.Throws<UserError>(() => EpisodeSources.Open(new DataSection { Build = recipePath }, seed: 1, ObservationSpec.Symbolic));
        Assert.Contains("'pixels'", fromBuild.Message);
        Assert.Contains("observation: rgb", fromBuild.Message);
        Assert.Contains("the model reads symbolic (7x7x3)", fromBuild.Message);
        Assert.False(Directory.Exists(_tmp["never"]));
    }
}
