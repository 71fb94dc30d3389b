using System.Diagnostics;
using Workbench.Training;

namespace Workbench.Tests.Training;

/// <summary>
/// Crash safety the way it happens to users: a real `workbench train` process is killed with SIGKILL at random moments
/// (seeded, so a failure can be replayed), `workbench resume` continues it — killed again — and the final weights equal
/// the uninterrupted run's bit for bit; metrics.jsonl and the TensorBoard event files hold every (tag, step) once.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class KillResumeTests
{
    private static readonly string Workbench = Path.Combine(AppContext.BaseDirectory, "workbench.dll");

    public KillResumeTests() => TestSupport.SingleThread();

    [Theory]
    [InlineData(11)]
    [InlineData(23)]
    public void A_run_killed_with_SIGKILL_at_random_moments_resumes_to_the_uninterrupted_weights(int seed)
    {
        string dir = TestSupport.TempDir();
        string[] settings = ["train.steps=24", "train.checkpoint_every=3", "train.eval_every=8", "train.rollout.levels=[GoToRedBallGrey]", "train.rollout.episodes=2"];
        var config = TestSupport.Experiment(dir, settings);

        Dictionary<string, TorchSharp.torch.Tensor> expected;
        string cleanRun;
        using (var clean = BehaviourCloningRecipe.Start(config, TestSupport.Quiet(dir) with { RunsRoot = Path.Combine(dir, "clean") }))
        {
            Assert.Equal("completed", clean.Train().Status);
            expected = TestSupport.Weights(clean.Model);
            cleanRun = clean.Run.Path;
        }

        var random = new Random(seed);
        string runs = Path.Combine(dir, "killed");
        string experiment = Path.Combine(dir, "experiment.yaml");
        var sets = settings.SelectMany(s => new[] { "--set", s }).ToArray();

        // First process: killed once it has written a checkpoint, after a random extra delay (mid-step or mid-write).
        Kill(Start(["train", experiment, .. sets, "--runs", runs, "--quiet"]), runs, untilStep: 3, random.Next(0, 400));
        string runDir = Directory.GetDirectories(Path.Combine(runs, "test")).Single();

        // Second process resumes and is killed again, two checkpoints later.
        Kill(Start(["resume", runDir, "--quiet"]), runs, untilStep: CheckpointStep(runs) + 6, random.Next(0, 400));

        var last = Start(["resume", runDir, "--quiet"]);
        Assert.True(last.WaitForExit(TimeSpan.FromMinutes(3)), "the final resume did not finish");
        Assert.True(last.ExitCode == 0, $"resume exited {last.ExitCode}: {last.StandardError.ReadToEnd()}");

        using var model = Checkpoint.LoadModel(RunDirectory.Open(runDir).LatestCheckpoint!);
        TestSupport.AssertBitwiseEqual(expected, TestSupport.Weights(model));

        Assert.Equal(TrainSteps(cleanRun), TrainSteps(runDir));
        var killedEvents = TensorBoardScalars.Read(runDir);
        Assert.Equal(killedEvents.Distinct().Count(), killedEvents.Count);                 // nothing logged twice
        Assert.Equal(TensorBoardScalars.Read(cleanRun).Order(), killedEvents.Order());     // and nothing missing
    }

    private static List<int> TrainSteps(string runDir) =>
        MetricsLogger.Read(runDir).Where(r => r.GetProperty("split").GetString() == "train").Select(r => r.GetProperty("step").GetInt32()).ToList();

    private static Process Start(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Workbench);
        foreach (string a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    /// <summary>Waits until the run under <paramref name="runs"/> has a checkpoint of step ≥ <paramref name="untilStep"/>, sleeps, then SIGKILLs the process.</summary>
    private static void Kill(Process process, string runs, int untilStep, int delayMs)
    {
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && CheckpointStep(runs) < untilStep)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException("no checkpoint appeared");
            Thread.Sleep(20);
        }
        Thread.Sleep(delayMs);
        Assert.False(process.HasExited, $"the process finished before it could be killed (exit {(process.HasExited ? process.ExitCode : 0)}): lower the delay");
        process.Kill(entireProcessTree: true); // SIGKILL on Linux
        process.WaitForExit();
    }

    private static int CheckpointStep(string runs)
    {
        if (!Directory.Exists(runs)) return 0;
        return Directory.EnumerateFiles(runs, "step-*.ckpt", SearchOption.AllDirectories)
            .Select(f => int.Parse(Path.GetFileNameWithoutExtension(f)["step-".Length..], System.Globalization.CultureInfo.InvariantCulture))
            .DefaultIfEmpty(0).Max();
    }
}
