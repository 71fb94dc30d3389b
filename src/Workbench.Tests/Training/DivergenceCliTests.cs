using System.Diagnostics;
using System.Text.Json;
using Workbench.Training;

namespace Workbench.Tests.Training;

/// <summary>The NaN/Inf guard end to end: a real `workbench train` whose gradients turn NaN at step 5 (fault hook).</summary>
[Collection(TorchCollection.Name)]
public sealed class DivergenceCliTests
{
    [Fact]
    public void Train_stops_with_exit_1_naming_the_step_and_keeps_the_last_good_checkpoint()
    {
        string dir = TestSupport.TempDir();
        TestSupport.Experiment(dir); // writes experiment.yaml
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "workbench.dll"), "train", Path.Combine(dir, "experiment.yaml"),
                     "--set", "train.checkpoint_every=2", "--set", "train.eval_every=0", "--runs", Path.Combine(dir, "runs"), "--quiet" })
            start.ArgumentList.Add(a);
        start.Environment[FaultInjection.NanAtStepVariable] = "5";
        using var process = Process.Start(start)!;
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("training diverged at step 5", stderr);
        Assert.Contains("step-0000004.ckpt", stderr);
        Assert.DoesNotContain("   at ", stderr); // no stack trace
        var run = RunDirectory.Open(Directory.GetDirectories(Path.Combine(dir, "runs", "test")).Single());
        Assert.EndsWith("step-0000004.ckpt", run.LatestCheckpoint);
        Assert.Equal("diverged", JsonDocument.Parse(File.ReadAllText(run.InfoPath)).RootElement.GetProperty("status").GetString());
        using var good = Checkpoint.LoadModel(run.LatestCheckpoint!);
        Assert.All(good.Module.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));
    }
}
