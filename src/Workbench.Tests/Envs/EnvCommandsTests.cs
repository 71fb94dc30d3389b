using Workbench.Cli;
using Workbench.Envs;

namespace Workbench.Tests.Envs;

public class EnvCommandsTests
{
    private static (int Code, string Err) Run(params string[] args)
    {
        var error = new StringWriter();
        int code = WorkbenchCli.Run(args, new StringWriter(), error);
        return (code, error.ToString());
    }

    [Fact]
    public void Env_show_writes_a_png_of_the_episode_start()
    {
        var path = Path.Combine(Path.GetTempPath(), $"show-{Guid.NewGuid():N}.png");
        try
        {
            var (code, err) = Run("env", "show", "GoToRedBallGrey", "--seed", "0", "--out", path, "--tile", "8");
            Assert.True(code == 0, err);
            var (_, w, h) = PngReader.Decode(File.ReadAllBytes(path));
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
        var (code, err) = Run("env", "show", "GoToMoon");
        Assert.Equal(ExitCodes.UserError, code);
        Assert.Contains("unknown level 'GoToMoon'", err);
        Assert.Contains("GoToRedBallGrey", err);
    }

    [Fact]
    public void Env_commands_are_in_the_catalog()
    {
        foreach (var name in new[] { "env levels", "env show", "env play", "bench env" })
            Assert.Contains(CommandCatalog.All, c => c.Name == name);
    }
}
