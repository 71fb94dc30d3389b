using Workbench.Cli;

namespace Workbench.Tests.Data;

/// <summary>The data commands as a user runs them: exit codes and what they report.</summary>
public sealed class DataCommandsTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private static int Run(params string[] args) => WorkbenchCli.Run(args, TextWriter.Null, TextWriter.Null);

    [Fact]
    public void Verify_exits_1_on_a_corrupted_file_and_0_on_good_ones()
    {
        var files = SyntheticDemos.Write(_tmp["ds"], SyntheticDemos.Episodes(60, 2), rowsPerGroup: 50, shardRows: 200);
        Assert.Equal(ExitCodes.Ok, Run("data", "verify", _tmp["ds"]));
        using (var s = new FileStream(files[0], FileMode.Open)) { s.Seek(-12, SeekOrigin.End); s.Write(new byte[8]); }
        Assert.Equal(ExitCodes.CheckFailed, Run("data", "verify", Path.Combine(_tmp["ds"], "*.parquet")));
    }

    [Fact]
    public void Inspect_succeeds_and_a_missing_path_is_a_user_error()
    {
        SyntheticDemos.Write(_tmp["ds"], SyntheticDemos.Episodes(30, 2));
        Assert.Equal(ExitCodes.Ok, Run("data", "inspect", _tmp["ds"]));
        Assert.Equal(ExitCodes.UserError, Run("data", "inspect", _tmp["missing"]));
    }

    [Fact]
    public void Build_with_overrides_writes_the_dataset_and_its_card()
    {
        string recipe = Path.Combine(RepoRoot.Path, "datasets", "gotoredballgrey.yaml");
        Assert.Equal(ExitCodes.Ok, Run("data", "build", recipe, "--set", "episodes=40", "--set", $"output={_tmp["g"]}"));
        Assert.True(File.Exists(Path.Combine(_tmp["g"], "part-00000.parquet")));
        Assert.True(File.Exists(Path.Combine(_tmp["g"], "card.json")));
        Assert.Equal(ExitCodes.UserError, Run("data", "build", recipe, "--set", "levels=[NoSuchLevel]"));
    }
}
