using System.Runtime.CompilerServices;
using Workbench.Envs;

namespace Workbench.Tests.Envs;

/// <summary>
/// Pixel renders compared with committed golden PNGs (decoded and compared pixel by pixel). To regenerate after an
/// intended change of the drawing code: <c>WORKBENCH_UPDATE_GOLDEN=1 dotnet test --filter Rendering</c>, then look
/// at the images before committing them.
/// </summary>
public class RenderingTests
{
    private static string GoldenDir([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Golden");

    private static void MatchesGolden(string name, byte[] rgb, int width, int height)
    {
        var path = Path.Combine(GoldenDir(), name);
        if (Environment.GetEnvironmentVariable("WORKBENCH_UPDATE_GOLDEN") == "1")
        {
            Png.Save(path, rgb, width, height);
            return;
        }
        Assert.True(File.Exists(path), $"golden image {path} missing; run with WORKBENCH_UPDATE_GOLDEN=1 to create it");
        var (golden, w, h) = PngReader.Decode(File.ReadAllBytes(path));
        Assert.Equal((width, height), (w, h));
        int differing = 0;
        for (int i = 0; i < rgb.Length; i++) if (rgb[i] != golden[i]) differing++;
        Assert.True(differing == 0, $"{name}: {differing} of {rgb.Length} bytes differ from the golden image");
    }

    [Fact]
    public void Full_render_of_GoToRedBallGrey_seed_0_matches_golden()
    {
        var env = LevelRegistry.Create("GoToRedBallGrey");
        env.Reset(0);
        var (rgb, w, h) = EnvRendering.RenderFull(env, 16);
        Assert.Equal((128, 128), (w, h));
        MatchesGolden("GoToRedBallGrey-seed0-full16.png", rgb, w, h);
    }

    [Fact]
    public void Egocentric_render_of_Unlock_seed_3_matches_golden()
    {
        var env = LevelRegistry.Create("Unlock");
        env.Reset(3);
        var rgb = EnvRendering.RenderEgocentric(env, 8);
        Assert.Equal(56 * 56 * 3, rgb.Length);
        MatchesGolden("Unlock-seed3-ego8.png", rgb, 56, 56);
    }

    [Fact]
    public void Full_render_of_LavaCrossing_matches_golden()
    {
        var env = LevelRegistry.Create("LavaCrossingS9N2");
        env.Reset(1);
        var (rgb, w, h) = EnvRendering.RenderFull(env, 8);
        MatchesGolden("LavaCrossingS9N2-seed1-full8.png", rgb, w, h);
    }

    [FashionFact]
    public void Fashion_item_tiles_show_the_picture()
    {
        var env = LevelRegistry.Create("FashionGoTo");
        env.Reset(0);
        var (rgb, w, h) = EnvRendering.RenderFull(env, 16);
        MatchesGolden("FashionGoTo-seed0-full16.png", rgb, w, h);
        var item = env.Grid.Objects().First();
        // The tile centre carries grey levels from the picture (not a flat colour).
        var values = new HashSet<byte>();
        for (int y = 4; y < 12; y++)
            for (int x = 4; x < 12; x++)
                values.Add(rgb[((item.Y * 16 + y) * w + item.X * 16 + x) * 3]);
        Assert.True(values.Count > 3, "fashion tile looks flat");
    }

    /// <summary>
    /// Train/test consistency of pixel models: what a rollout shows the model (<see cref="ObservationSpec.Encode"/> of the
    /// unperturbed observation) is byte for byte the frame a demonstration stored for the same state
    /// (<see cref="Workbench.Data.DatasetBuilder.Play"/>), at every step, including steps where the agent carries something.
    /// </summary>
    [Theory]
    [InlineData("GoToRedBallGrey")]
    [InlineData("PickupLoc")]
    [InlineData("GoToLocal")]
    public void Rollout_pixels_equal_demonstration_pixels_at_every_step(string level)
    {
        foreach (int tile in new[] { 4, 8 }) RolloutFramesMatchDemo(level, tile);
    }

    [FashionFact]
    public void Rollout_pixels_equal_demonstration_pixels_on_FashionGoTo()
    {
        foreach (int tile in new[] { 8, 16 }) RolloutFramesMatchDemo("FashionGoTo", tile);
    }

    private static void RolloutFramesMatchDemo(string level, int tile)
    {
        var spec = ObservationSpec.Rgb(tile);
        for (long seed = 0; seed < 5; seed++)
        {
            var (demo, _) = Workbench.Data.DatasetBuilder.Play(level, seed, seed, tile);
            var env = LevelRegistry.Create(level);
            var obs = env.Reset(seed);
            foreach (var step in demo.Steps)
            {
                Assert.True(step.Obs.Span.SequenceEqual(spec.Encode(env, obs)), $"{level} seed {seed} tile {tile} step {step.Step}: rollout frame differs from the demo's");
                obs = env.Step((AgentAction)step.Action).Observation;
            }
        }
    }

    [Fact]
    public void Egocentric_render_shows_the_agent_at_the_bottom_centre_pointing_up()
    {
        var env = LevelRegistry.Create("GoToRedBallNoDists");
        env.Reset(0);
        var rgb = EnvRendering.RenderEgocentric(env, 16);
        int w = 7 * 16;
        (byte, byte, byte) Px(int x, int y) => (rgb[(y * w + x) * 3], rgb[(y * w + x) * 3 + 1], rgb[(y * w + x) * 3 + 2]);
        // Tip of the triangle near the top of the agent tile, base near its bottom; red (with highlight blend).
        Assert.Equal((255, 76, 76), Px(3 * 16 + 8, 6 * 16 + 4));
        Assert.Equal((255, 76, 76), Px(3 * 16 + 5, 6 * 16 + 12));
        Assert.NotEqual((255, 76, 76), Px(3 * 16 + 2, 6 * 16 + 3));
    }

    [Fact]
    public void Png_round_trips_pixels()
    {
        var rgb = new byte[5 * 3 * 3];
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i * 37);
        var (back, w, h) = PngReader.Decode(Png.Encode(rgb, 5, 3));
        Assert.Equal((5, 3), (w, h));
        Assert.Equal(rgb, back);
    }

    [Fact]
    public void SaveFullPng_writes_a_png_with_a_caption_strip()
    {
        var env = LevelRegistry.Create("GoToLocal");
        env.Reset(2);
        var path = Path.Combine(Path.GetTempPath(), $"env-{Guid.NewGuid():N}.png");
        try
        {
            EnvRendering.SaveFullPng(env, path);
            var (rgb, w, h) = PngReader.Decode(File.ReadAllBytes(path));
            Assert.Equal(128, w);
            Assert.True(h > 128, "caption strip missing");
            Assert.Contains(rgb.Skip(128 * w * 3), b => b == 255); // white caption text
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Text_render_shows_walls_objects_and_the_agent_arrow()
    {
        var env = HandBuilt.Env(5, 2, 2, 0, g => g.Set(3, 2, WorldObject.Ball(Color.Red)));
        var text = TextRenderer.Render(env);
        var lines = text.Split('\n');
        Assert.Equal("WWWWWWWWWW", lines[0]);
        Assert.Equal("WW  >>ARWW", lines[2]);
        Assert.Contains("mission: nothing to do", text);
    }
}
