using TorchSharp;
using Workbench.Config;
using Workbench.Training;

namespace Workbench.Tests;

/// <summary>Shared helpers: a temp folder per test, tiny experiment configs, the repository root.</summary>
internal static class TestSupport
{
    /// <summary>One intra-op thread: deterministic and fast on the shared 2-core machine.</summary>
    public static void SingleThread() => torch.set_num_threads(1);

    /// <summary>Expert demonstrations of GoToRedBallGrey, episode i from seed <paramref name="seed"/>·1000 + i, observed as <paramref name="spec"/> says (default symbolic).</summary>
    public static List<Workbench.Data.DemoEpisode> Demos(int count, long seed, Workbench.Envs.ObservationSpec? spec = null) =>
        Enumerable.Range(0, count).Select(i => Workbench.Data.DatasetBuilder.Play("GoToRedBallGrey", seed * 1000 + i, i,
            spec is { IsPixels: true } ? spec.TileSize : null).Episode).ToList();

    public static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "workbench-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }


    /// <summary>A tiny experiment on generated demos, with overrides as <c>key=value</c> (the --set syntax).</summary>
    public static LoadedConfig Experiment(string dir, params string[] overrides)
    {
        string path = Path.Combine(dir, "experiment.yaml");
        File.WriteAllText(path, """
            kind: experiment
            name: test
            seed: 3
            device: cpu
            threads: 1
            data:
              sources:
                - path: bot:GoToRedBallGrey:60
              validation_episodes: 4
              validation_percent: 10
            model:
              family: transformer
              size: tiny
            train:
              steps: 6
              batch_size: 4
              warmup_steps: 2
              log_every: 1
              eval_every: 3
              checkpoint_every: 1
              keep_checkpoints: 100
            """);
        return ConfigLoader.LoadAs(typeof(ExperimentConfig), path, overrides);
    }

    public static BehaviourCloningRecipe.Options Quiet(string dir) => new() { RunsRoot = Path.Combine(dir, "runs"), RegistryRoot = Path.Combine(dir, "registry"), ShowProgress = false };

    /// <summary>Every parameter and buffer, by name, copied to CPU.</summary>
    public static Dictionary<string, torch.Tensor> Weights(Workbench.Models.IAgentModel model) =>
        model.Module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().clone());

    public static void AssertBitwiseEqual(Dictionary<string, torch.Tensor> expected, Dictionary<string, torch.Tensor> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, e) in expected)
        {
            if (e.eq(actual[name]).all().item<bool>()) continue;
            Assert.Fail($"{name} differs (max |Δ| {(e - actual[name]).abs().max().ToDouble()})");
        }
    }
}
