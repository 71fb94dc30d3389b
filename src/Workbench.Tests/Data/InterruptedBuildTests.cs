using System.Diagnostics;
using Workbench.Cli;
using Workbench.Data;
using Workbench.Tests.Cli;

namespace Workbench.Tests.Data;

/// <summary>
/// A dataset build that dies (SIGKILL here; disk full behaves alike) leaves Parquet shards without a card: readers must
/// refuse the folder rather than train or verify on part of a dataset, and a rebuild must make it whole again.
/// </summary>
public sealed class InterruptedBuildTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void A_build_killed_after_its_first_shard_is_refused_by_verify_inspect_and_training_until_rebuilt()
    {
        string output = _tmp["ds"];
        string recipe = Path.Combine(_tmp.Path, "big.yaml");
        File.WriteAllText(recipe, string.Join("\n", "kind: dataset", "name: big", "levels: [GoToLocal]", "seeds: {start: 0}",
            "episodes: 40000", "observation: symbolic", "rows_per_group: 256", "shard_rows: 2048", $"output: {output}") + "\n");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "workbench.dll"), "data", "build", recipe }) start.ArgumentList.Add(a);
        using var build = Process.Start(start)!;
        var clock = Stopwatch.StartNew();
        while (!build.HasExited && !(Directory.Exists(output) && Directory.GetFiles(output, "part-*.parquet").Length > 0))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "no shard appeared");
            Thread.Sleep(20);
        }
        Assert.False(build.HasExited, "the build finished before it could be killed: give it more episodes");
        build.Kill(entireProcessTree: true); // SIGKILL
        build.WaitForExit();
        Assert.False(File.Exists(Path.Combine(output, "card.json")));

        foreach (var args in new[] { new[] { "data", "verify", output }, ["data", "inspect", output], ["data", "verify", Path.Combine(output, "part-00000.parquet")] })
        {
            var refused = CliRun.Of(args).Expect(ExitCodes.UserError);
            Assert.Contains("unfinished dataset build", refused.Err);
            Assert.Contains("data build", refused.Err);
            Assert.DoesNotContain("   at ", refused.Err);
        }
        var e = Assert.Throws<UserError>(() => DataPaths.Resolve(output));
        Assert.Contains(Path.GetFullPath(output), e.Message);

        // The rebuild (smaller, the same folder) completes: card written, marker gone, readers accept it.
        CliRun.Of("data", "build", recipe, "--set", "episodes=30").Expect(ExitCodes.Ok);
        Assert.True(File.Exists(Path.Combine(output, "card.json")));
        Assert.False(File.Exists(Path.Combine(output, DataPaths.UnfinishedMarker)));
        CliRun.Of("data", "verify", output).Expect(ExitCodes.Ok);
    }
}
