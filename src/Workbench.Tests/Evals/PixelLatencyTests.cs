using System.Text.RegularExpressions;
using Workbench.Envs;
using Workbench.Evals;
using Workbench.Evals.Runner;
using Workbench.Rollouts;
using Xunit.Abstractions;

namespace Workbench.Tests.Evals;

/// <summary>
/// The efficiency suite measures image-reading policies too: the rollout loop renders what the policy reads inside the
/// timed part of each step, so latency_ms of a pixel policy includes making its image.
/// </summary>
[Collection(TorchCollection.Name)]
public class PixelLatencyTests(ITestOutputHelper output)
{
    /// <summary>Reads RGB pixels (tile <paramref name="tile"/>) and walks forward; checks every observation it is handed.</summary>
    private sealed class PixelWalker(int tile) : IPolicy
    {
        public string Name => "pixel-walker";
        public ObservationSpec Observes { get; } = ObservationSpec.Rgb(tile);
        public int Observations { get; private set; }
        public void Reset(int slots) { }
        public void ResetSlot(int slot) { }

        public AgentAction[] Act(IReadOnlyList<int> slots, IReadOnlyList<Observation> observations, IReadOnlyList<GridEnv> envs)
        {
            foreach (var o in observations)
                if (o.Pixels is not { } p || p.Length != Observes.BytesPerStep)
                    throw new InvalidOperationException($"observation without its {Observes.Describe()} pixels");
            Observations += observations.Count;
            return observations.Select(_ => AgentAction.Forward).ToArray();
        }

        public void Dispose() { }
    }

    [Fact]
    public void The_efficiency_suite_reports_latency_parameters_and_flops_of_an_untrained_pixel_model()
    {
        string dir = RunnerTestSupport.TempDir();
        string path = Path.Combine(dir, "efficiency.yaml");
        File.WriteAllText(path, Regex.Replace(File.ReadAllText(Path.Combine(RepoRoot.Path, "evals", "efficiency.yaml")), @"count: \d+", "count: 4"));
        var suite = Evaluation.LoadSuite(path);
        TestSupport.SingleThread();
        var model = Workbench.Models.ModelArchitectures.Create(new Workbench.Models.ModelSpec("transformer", "tiny", MissionVocabulary.Size, 16,
            ObservationSpec.Rgb(8)));
        using var policy = new ModelPolicy("pixels@untrained", model);
        var (_, summary) = Evaluation.Run(suite, policy, PolicyId.Parse("pixels@untrained"), new EvalRunOptions
        {
            OutputPath = Path.Combine(dir, "pixels.parquet"), BatchSize = 4, ProgressWriter = TextWriter.Null,
        });
        Assert.True(summary.Find("goto-local", "latency_ms")!.Value > 0);
        Assert.Equal(Workbench.Models.FlopCounter.PerAction(model), summary.Find("goto-local", "flops_per_action")!.Value);
        Assert.Equal(model.Module.parameters().Sum(p => p.numel()), summary.Find("goto-local", "parameters")!.Value);
        output.WriteLine($"untrained pixel transformer (tile 8): {summary.Find("goto-local", "latency_ms")!.Value:0.###} ms per action, " +
                         $"{summary.Find("goto-local", "flops_per_action")!.Value:0} FLOPs per action");
    }

    [Fact]
    public void The_efficiency_suite_reports_latency_per_action_for_a_pixel_reading_policy()
    {
        string dir = RunnerTestSupport.TempDir();
        string path = Path.Combine(dir, "efficiency.yaml");
        File.WriteAllText(path, Regex.Replace(File.ReadAllText(Path.Combine(RepoRoot.Path, "evals", "efficiency.yaml")), @"count: \d+", "count: 8"));
        var suite = Evaluation.LoadSuite(path);

        using var pixels = new PixelWalker(tile: 32);
        var (run, summary) = Evaluation.Run(suite, pixels, PolicyId.Parse("pixel-walker"), new EvalRunOptions
        {
            OutputPath = Path.Combine(dir, "pixels.parquet"), BatchSize = 8, ProgressWriter = TextWriter.Null,
        });
        Assert.Equal(run.Records.Sum(r => r.Steps), pixels.Observations); // every action was decided on rendered pixels
        var latency = summary.Find("goto-local", "latency_ms")!;
        Assert.True(latency.Value > 0);
        Assert.Equal("ms", latency.Info.Unit);
        Assert.Contains("rendering", latency.Info.Description);
        Assert.NotNull(summary.Find("goto-local", "latency_p95_ms")!.Value);

        // For the record (not asserted: timings are the bench commands' business): the same walk without pixels.
        using var symbolic = new RandomPolicy(seed: 1);
        var plain = Evaluation.Run(suite, symbolic, PolicyId.Parse("random"), new EvalRunOptions
        {
            OutputPath = Path.Combine(dir, "random.parquet"), BatchSize = 8, ProgressWriter = TextWriter.Null,
        }).Summary.Find("goto-local", "latency_ms")!;
        output.WriteLine($"latency per action: pixels (tile 32, rendering included) {latency.Value:0.###} ms, symbolic random {plain.Value:0.###} ms");
    }
}
