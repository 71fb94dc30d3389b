using Workbench.Envs;

namespace Workbench.Tests.Envs;

public class PerformanceTests
{
    [Fact]
    public void Stepping_and_rendering_into_caller_buffers_allocates_nothing()
    {
        var env = HandBuilt.Env(9, 4, 4, 0, g => g.Set(6, 4, WorldObject.Door(Color.Red)), maxSteps: 100_000);
        var buffer = new byte[Observation.SymbolicLength];
        var pixels = new byte[EnvRendering.EgocentricLength(8)];
        AgentAction[] cycle = [AgentAction.Forward, AgentAction.Toggle, AgentAction.Left, AgentAction.Right, AgentAction.Pickup, AgentAction.Drop];
        for (int i = 0; i < 300; i++) // warm up (JIT, and the tile cache, which draws each new tile once)
        {
            env.Step(cycle[i % cycle.Length], buffer);
            EnvRendering.RenderEgocentric(env, 8, pixels);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) env.Step(cycle[i % cycle.Length], buffer);
        long symbolic = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, symbolic);
        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            env.Step(cycle[i % cycle.Length], buffer);
            EnvRendering.RenderEgocentric(env, 8, pixels);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Benchmark_returns_a_row_per_level_policy_and_observation()
    {
        var rows = EnvBenchmark.Run(["GoToRedBallGrey", "LavaGapS7"], secondsPerRow: 0.02);
        Assert.Equal(2 * 2 * 2, rows.Count);
        Assert.All(rows, r => Assert.True(r.Steps > 0 && r.StepsPerSecond > 0, $"{r.Level} {r.Policy} {r.Observation}: no steps"));
        Assert.Contains(rows, r => r.Observation == "symbolic");
        Assert.Contains(rows, r => r.Observation == "rgb8px");
        var table = EnvBenchmark.Format(rows);
        Assert.Contains("steps/s", table);
        Assert.Contains("LavaGapS7", table);
    }
}
