using Workbench.Cli;
using Workbench.Envs;
using Workbench.Tests.Cli;

namespace Workbench.Tests.Envs;

public class EnvCommandsTests
{
    [Fact]
    public void Env_show_writes_a_png_of_the_episode_start()
    {
        var path = Path.Combine(Path.GetTempPath(), $"show-{Guid.NewGuid():N}.png");
        try
        {
            var run = CliRun.Of("env", "show", "GoToRedBallGrey", "--seed", "0", "--out", path, "--tile", "8").Expect(ExitCodes.Ok);
            var env = LevelRegistry.Create("GoToRedBallGrey");
            env.Reset(0);
            Assert.Equal(EnvRendering.ToText(env) + $"wrote {path}" + Environment.NewLine, run.Out);
            var (_, w, h) = Png.Decode(File.ReadAllBytes(path));
            Assert.Equal(64, w);
            Assert.True(h > 64);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Env_show_with_an_unknown_level_is_a_user_error_listing_levels()
    {
        var run = CliRun.Of("env", "show", "GoToMoon").Expect(ExitCodes.UserError);
        Assert.Contains("unknown level 'GoToMoon'", run.Err);
        Assert.Contains("GoToRedBallGrey", run.Err);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Env_levels_lists_every_registered_level()
    {
        var run = CliRun.Of("env", "levels").Expect(ExitCodes.Ok);
        Assert.All(LevelRegistry.Names, name => Assert.Contains($"\n{name} ", "\n" + run.Out));
    }

    [Fact]
    public void Env_play_reads_keys_from_its_input_until_the_bot_finishes_the_episode()
    {
        // 'b' asks the expert bot for one step; enough of them end a GoToRedBallGrey episode with success.
        var run = CliRun.WithInput(new string('b', 64) + "\n", "env", "play", "GoToRedBallGrey", "--seed", "3").Expect(ExitCodes.Ok);
        Assert.Contains("keys: a left, d right", run.Out);
        Assert.Contains("episode over (terminated): success=True", run.Out);

        var quit = CliRun.WithInput("z\nq\n", "env", "play", "GoToRedBallGrey").Expect(ExitCodes.Ok);
        Assert.Contains("unknown key 'z'", quit.Out);
        Assert.DoesNotContain("episode over", quit.Out);
    }

    [Fact]
    public void Env_commands_are_in_the_catalog()
    {
        foreach (var name in new[] { "env levels", "env show", "env play", "bench env" })
            Assert.Contains(CommandCatalog.All, c => c.Name == name);
    }
}
