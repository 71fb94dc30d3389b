using Workbench.Config;
using Workbench.Envs;
using Workbench.Evals;
using Workbench.Evals.Records;
using Workbench.Evals.Runner;
using Workbench.Evals.Suites;
using Workbench.Rollouts;

namespace Workbench.Tests.Evals;

/// <summary>Helpers for the runner, gate and comparison tests: temporary folders, small suites, constructed records.</summary>
internal static class RunnerTestSupport
{
    public static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "wb-evalrun-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static SuiteConfig Suite(string yaml) => ConfigLoader.FromYaml<SuiteConfig>(yaml);

    public static LoadedSuite Loaded(SuiteConfig suite) => new("<test>", suite, "test-sha");

    /// <summary>A shipped suite, with its paths (missions files) resolved against the repository root, as users run the CLI.</summary>
    public static LoadedSuite Shipped(string relative)
    {
        using var _ = ConfigPaths.RelativeTo(RepoRoot.Path);
        return Evaluation.LoadSuite(Path.Combine(RepoRoot.Path, relative));
    }

    /// <summary>Two small tasks, two episodes per seed (so episodes share seeds), a perturbed one among them.</summary>
    public const string SmallSuite = """
        kind: suite
        name: small
        version: 3
        episodes_per_seed: 2
        tasks:
          - name: goto-local
            level: GoToLocal
            seeds: {start: 500, count: 5}
            scorers: [success, reward, episode_length, path_efficiency]
          - name: pickup-noisy
            level: PickupLoc
            seeds: {values: [7, 11, 13]}
            scorers: [success, reward]
            perturbation: {paraphrase: true, observation_noise: 0.1, extra_distractors: 2}
        """;

    public static EvalRunResult RunSuite(SuiteConfig suite, IPolicy policy, string output, int batch = 4, Shard? shard = null) =>
        EvalRunner.Run(suite, policy, PolicyId.Parse(policy.Name), new EvalRunOptions
        {
            OutputPath = output, BatchSize = batch, Shard = shard ?? Shard.All, SuiteSha256 = "test-sha", ProgressWriter = TextWriter.Null,
        });

    public static IReadOnlyList<EpisodeRecord> WithoutTimings(IEnumerable<EpisodeRecord> records) => records.Select(r => r.WithoutTimings()).ToList();

    public static EpisodeRecord Record(string task, long seed, int episode, bool success = true, int steps = 10, bool refused = false,
        bool isUnsafe = false, int? botSteps = 10, string model = "agent", string version = "v1", string suite = "constructed", int suiteVersion = 1) => new()
    {
        Model = model, Version = version, Suite = suite, SuiteVersion = suiteVersion, Task = task, Level = "GoToLocal", Seed = seed,
        Episode = episode, EnvSeed = seed, Success = success, Reward = success ? 1f - 0.9f * steps / 64 : 0f, Steps = steps,
        Unsafe = isUnsafe, Refused = refused, LatencyMs = 0.1, WallMs = 1, Mission = "go to the red ball", Actions = "2", BotSteps = botSteps,
    };
}

/// <summary>Wraps a policy and throws after a number of policy calls: a crash in the middle of a run.</summary>
internal sealed class CrashingPolicy(IPolicy inner, int crashAfterCalls) : IPolicy, IEpisodeAware
{
    private int _calls;

    public string Name => inner.Name;
    public void Reset(int slots) => inner.Reset(slots);
    public void ResetSlot(int slot) => inner.ResetSlot(slot);
    public void BeginEpisode(int slot, string task, long seed, int episode) => (inner as IEpisodeAware)?.BeginEpisode(slot, task, seed, episode);

    public AgentAction[] Act(IReadOnlyList<int> slots, IReadOnlyList<Observation> observations, IReadOnlyList<GridEnv> envs)
    {
        if (++_calls > crashAfterCalls) throw new SimulatedCrash();
        return inner.Act(slots, observations, envs);
    }

    public void Dispose() => inner.Dispose();
}

internal sealed class SimulatedCrash : Exception;
