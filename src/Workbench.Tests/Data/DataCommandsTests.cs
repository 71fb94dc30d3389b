using Workbench.Cli;
using Workbench.Tests.Cli;

namespace Workbench.Tests.Data;

/// <summary>The data commands as a user runs them: exit codes and what they report.</summary>
public sealed class DataCommandsTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Verify_exits_1_on_a_corrupted_file_and_0_on_good_ones()
    {
        var files = SyntheticDemos.Write(_tmp["ds"], SyntheticDemos.Episodes(60, 2), rowsPerGroup: 50, shardRows: 200);
        Assert.EndsWith("verify: ok", CliRun.Of("data", "verify", _tmp["ds"]).Expect(ExitCodes.Ok).Out.Trim());
        using (var s = new FileStream(files[0], FileMode.Open)) { s.Seek(-12, SeekOrigin.End); s.Write(new byte[8]); }
        var bad = CliRun.Of("data", "verify", Path.Combine(_tmp["ds"], "*.parquet")).Expect(ExitCodes.CheckFailed);
        Assert.Contains($"problem: {files[0]}", bad.Out);
        Assert.Matches(@"verify: \d+ problem\(s\)", bad.Out);
    }

    [Fact]
    public void Inspect_succeeds_and_a_missing_path_is_a_user_error()
    {
        SyntheticDemos.Write(_tmp["ds"], SyntheticDemos.Episodes(30, 2));
        var run = CliRun.Of("data", "inspect", _tmp["ds"], "--head", "2").Expect(ExitCodes.Ok);
        Assert.Contains("episode_id", run.Out);
        Assert.Contains(_tmp["missing"], CliRun.Of("data", "inspect", _tmp["missing"]).Expect(ExitCodes.UserError).Err);
    }

    [Fact]
    public void Build_with_overrides_writes_the_dataset_and_its_card()
    {
        string recipe = Path.Combine(RepoRoot.Path, "datasets", "gotoredballgrey.yaml");
        var run = CliRun.Of("data", "build", recipe, "--set", "episodes=40", "--set", $"output={_tmp["g"]}").Expect(ExitCodes.Ok);
        Assert.StartsWith($"{_tmp["g"]}: 40 episodes, ", run.Out);
        Assert.Contains("  GoToRedBallGrey: 40 episodes", run.Out);
        Assert.Contains("data build", run.Err); // the progress bar, on the error writer
        Assert.True(File.Exists(Path.Combine(_tmp["g"], "part-00000.parquet")));
        Assert.True(File.Exists(Path.Combine(_tmp["g"], "card.json")));
        Assert.Contains("NoSuchLevel", CliRun.Of("data", "build", recipe, "--set", "levels=[NoSuchLevel]").Expect(ExitCodes.UserError).Err);
    }
}
