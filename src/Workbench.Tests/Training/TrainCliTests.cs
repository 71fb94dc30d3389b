using Workbench.Cli;
using Workbench.Tests.Cli;

namespace Workbench.Tests.Training;

/// <summary>The train / resume / models commands end to end, as a user runs them.</summary>
[Collection(TorchCollection.Name)]
public class TrainCliTests
{
    public TrainCliTests() => TestSupport.SingleThread();

    [Fact]
    public void TrainStopResumeRegisterAndListWorkFromTheCommandLine()
    {
        string dir = TestSupport.TempDir();
        string config = Path.Combine(dir, "experiment.yaml");
        TestSupport.Experiment(dir); // writes experiment.yaml
        string runs = Path.Combine(dir, "runs"), registry = Path.Combine(dir, "registry");

        var train = CliRun.Of("train", config, "--runs", runs, "--set", "train.steps=4", "--stop-after", "2", "--quiet").Expect(ExitCodes.Ok);
        string runDir = Directory.GetDirectories(Path.Combine(runs, "test")).Single();
        Assert.Contains($"run: {runDir}", train.Out);
        Assert.Contains("status: stopped after 2 steps", train.Out);
        Assert.Contains($"resume with: workbench resume {runDir}", train.Out);
        Assert.DoesNotContain("[####", train.Err); // --quiet: no progress bar

        var resume = CliRun.Of("resume", runDir, "--quiet").Expect(ExitCodes.Ok);
        Assert.Contains("status: completed after 4 steps", resume.Out);
        Assert.Contains("step-0000002.ckpt at step 2", resume.Err); // the run log's echo ("resumed from …")
        Assert.Contains("step-0000004.ckpt", RunDirectory().LatestCheckpoint);

        var register = CliRun.Of("models", "register", runDir, "--name", "agent", "--version", "v1", "--registry", registry).Expect(ExitCodes.Ok);
        Assert.StartsWith("registered agent@v1: ", register.Out);
        var list = CliRun.Of("models", "list", "--registry", registry).Expect(ExitCodes.Ok);
        Assert.Contains("agent@v1", list.Out);

        Assert.Contains("already registered", CliRun.Of("models", "register", runDir, "--name", "agent", "--version", "v1", "--registry", registry)
            .Expect(ExitCodes.UserError).Err);
        Assert.Contains("train.steps", CliRun.Of("train", config, "--runs", runs, "--set", "train.steps=0").Expect(ExitCodes.UserError).Err);
        Assert.Contains("not a run directory", CliRun.Of("resume", dir).Expect(ExitCodes.UserError).Err);

        Workbench.Training.RunDirectory RunDirectory() => Workbench.Training.RunDirectory.Open(runDir);
    }
}
