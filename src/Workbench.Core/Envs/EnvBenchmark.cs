using System.Diagnostics;
using System.Text;
using Workbench.Runtime;

namespace Workbench.Envs;

public enum BenchmarkPolicy
{
    /// <summary>Uniform over the seven actions (as MiniGrid's action_space.sample()).</summary>
    Random,
    /// <summary>The expert <see cref="Bot"/>, planning every step.</summary>
    Bot,
}

/// <summary>
/// One measurement on one thread, resets included. <see cref="StepsPerSecond"/> uses wall time;
/// <see cref="StepsPerCpuSecond"/> uses the process's CPU time, which stays meaningful when other processes
/// compete for the cores (on an idle machine the two agree).
/// </summary>
public sealed record EnvBenchmarkRow(string Level, BenchmarkPolicy Policy, string Observation, long Steps, int Episodes, double Seconds, double CpuSeconds)
{
    public double StepsPerSecond => Steps / Seconds;
    public double StepsPerCpuSecond => Steps / CpuSeconds;
}

/// <summary>
/// Single-thread throughput of the environments: steps per second for random or bot actions with symbolic
/// (147-byte) or RGB (egocentric, 8 px tiles) observations, written into reused buffers (the allocation-free path
/// training and data generation use). Resets and, for the bot, planning are part of the measured time.
/// </summary>
public static class EnvBenchmark
{
    public static readonly IReadOnlyList<string> DefaultLevels = ["GoToRedBallGrey", "GoToLocal", "GoTo", "LavaCrossingS9N1"];

    /// <param name="levels">levels to measure (default <see cref="DefaultLevels"/>).</param>
    /// <param name="secondsPerRow">wall time spent on each (level, policy, observation) row.</param>
    /// <param name="rgbTileSize">pixels per tile for the RGB rows.</param>
    public static IReadOnlyList<EnvBenchmarkRow> Run(IEnumerable<string>? levels = null, double secondsPerRow = 1.0, int rgbTileSize = 8)
    {
        var rows = new List<EnvBenchmarkRow>();
        foreach (var level in levels ?? DefaultLevels)
            foreach (var policy in new[] { BenchmarkPolicy.Random, BenchmarkPolicy.Bot })
                foreach (bool rgb in new[] { false, true })
                    rows.Add(Measure(level, policy, rgb ? rgbTileSize : 0, secondsPerRow));
        return rows;
    }

    /// <summary>Measures one row; <paramref name="rgbTileSize"/> 0 means symbolic observations only.</summary>
    public static EnvBenchmarkRow Measure(string level, BenchmarkPolicy policy, int rgbTileSize, double seconds)
    {
        var env = LevelRegistry.Create(level);
        var symbolic = new byte[Observation.SymbolicLength];
        var pixels = rgbTileSize > 0 ? new byte[EnvRendering.EgocentricLength(rgbTileSize)] : [];
        var rng = new Rng(12345);
        long steps = 0;
        int episodes = 0;
        long seed = 0;
        // Warm-up so JIT tiers and the tile cache do not count.
        Run(env, policy, rng, symbolic, pixels, rgbTileSize, TimeSpan.FromSeconds(Math.Min(0.2, seconds / 5)), ref seed, out _, out _);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var elapsed = Run(env, policy, rng, symbolic, pixels, rgbTileSize, TimeSpan.FromSeconds(seconds), ref seed, out steps, out episodes);
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        string obs = rgbTileSize > 0 ? $"rgb{rgbTileSize}px" : "symbolic";
        return new EnvBenchmarkRow(level, policy, obs, steps, episodes, elapsed.TotalSeconds, cpuSeconds);
    }

    private static TimeSpan Run(GridEnv env, BenchmarkPolicy policy, Rng rng, byte[] symbolic, byte[] pixels, int tile, TimeSpan budget,
        ref long seed, out long steps, out int episodes)
    {
        steps = 0;
        episodes = 0;
        var watch = Stopwatch.StartNew();
        while (true)
        {
            env.Reset(seed++, symbolic);
            if (tile > 0) EnvRendering.RenderEgocentric(env, tile, pixels);
            episodes++;
            var bot = policy == BenchmarkPolicy.Bot ? new Bot(env) : null;
            StepStatus status;
            do
            {
                var action = bot?.Act() ?? (AgentAction)rng.NextInt(GridNames.ActionCount);
                status = env.Step(action, symbolic);
                if (tile > 0) EnvRendering.RenderEgocentric(env, tile, pixels);
                steps++;
            }
            while (!status.IsDone);
            if (watch.Elapsed >= budget) return watch.Elapsed;
        }
    }

    /// <summary>The rows as an aligned text table.</summary>
    public static string Format(IEnumerable<EnvBenchmarkRow> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{"level",-20} {"policy",-7} {"observation",-11} {"steps/s",12} {"steps/cpu-s",12} {"steps",11} {"episodes",9}");
        foreach (var r in rows)
            sb.AppendLine($"{r.Level,-20} {r.Policy.ToString().ToLowerInvariant(),-7} {r.Observation,-11} {r.StepsPerSecond,12:N0} {r.StepsPerCpuSecond,12:N0} {r.Steps,11:N0} {r.Episodes,9:N0}");
        return sb.ToString();
    }
}
