using Workbench.Cli;

namespace Workbench.Tests.Training;

/// <summary>The train / resume / models commands end to end, as a user runs them.</summary>
[Collection(TorchCollection.Name)]
public class TrainCliTests
{
    public TrainCliTests() => TestSupport.SingleThread();

    private static int Run(params string[] args)
    {
        var parsed = CommandLine.Parse(CommandCatalog.All, args, TextWriter.Null)!;
        return parsed.Command.Run(parsed);
    }

    [Fact]
    public void TrainStopResumeRegisterAndListWorkFromTheCommandLine()
    {
        string dir = TestSupport.TempDir();
        string config = Path.Combine(dir, "experiment.yaml");
        TestSupport.Experiment(dir); // writes experiment.yaml
        string runs = Path.Combine(dir, "runs"), registry = Path.Combine(dir, "registry");

        Assert.Equal(ExitCodes.Ok, Run("train", config, "--runs", runs, "--set", "train.steps=4", "--stop-after", "2", "--quiet"));
        string runDir = Directory.GetDirectories(Path.Combine(runs, "test")).Single();
        Assert.Equal(ExitCodes.Ok, Run("resume", runDir, "--quiet"));
        Assert.Contains("step-0000004.ckpt", RunDirectory().LatestCheckpoint);
        Assert.Equal(ExitCodes.Ok, Run("models", "register", runDir, "--name", "agent", "--version", "v1", "--registry", registry));
        Assert.Equal(ExitCodes.Ok, Run("models", "list", "--registry", registry));
        Assert.Contains("already registered", Assert.Throws<UserError>(() => Run("models", "register", runDir, "--name", "agent", "--version", "v1", "--registry", registry)).Message);
        Assert.Contains("train.steps", Assert.Throws<Workbench.Config.ConfigException>(() => Run("train", config, "--runs", runs, "--set", "train.steps=0")).Message);
        Assert.Contains("not a run directory", Assert.Throws<UserError>(() => Run("resume", dir)).Message);

        Workbench.Training.RunDirectory RunDirectory() => Workbench.Training.RunDirectory.Open(runDir);
    }
}
