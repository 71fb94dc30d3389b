using TorchSharp;
using Workbench.Envs;
using Workbench.Models;
using static TorchSharp.torch;

namespace Workbench.Training;

/// <summary>What an agent sees at one step: 147 symbolic bytes [row][col][channel], direction, mission.</summary>
public sealed record RolloutObservation(byte[] Grid, int Direction, string Mission);

/// <summary>The small interface training-time rollouts need from an environment (every grid-world level, via <see cref="GridEnvRollout"/>).</summary>
public interface IRolloutEnvironment
{
    int MaxSteps { get; }
    RolloutObservation Reset(long seed);
    (RolloutObservation Observation, bool Done, bool Success) Step(int action);
}

/// <summary>Level name → environment factory, for rollouts during training.</summary>
public static class RolloutLevels
{
    private static readonly Dictionary<string, Func<IRolloutEnvironment>> Factories = LevelRegistry.Names
        .ToDictionary(name => name, name => (Func<IRolloutEnvironment>)(() => new GridEnvRollout(LevelRegistry.Create(name))));

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    public static IRolloutEnvironment Create(string name) =>
        Factories.TryGetValue(name, out var f) ? f()
            : throw new UserError($"unknown rollout level '{name}' (known: {string.Join(", ", Factories.Keys)})");
}

/// <summary>A <see cref="GridEnv"/> level seen through <see cref="IRolloutEnvironment"/>.</summary>
public sealed class GridEnvRollout(GridEnv env) : IRolloutEnvironment
{
    public int MaxSteps => env.MaxSteps;

    public RolloutObservation Reset(long seed) => Convert(env.Reset(seed));

    public (RolloutObservation Observation, bool Done, bool Success) Step(int action)
    {
        var r = env.Step((AgentAction)action);
        return (Convert(r.Observation), r.IsDone, r.Outcome.Success);
    }

    private static RolloutObservation Convert(Observation o) => new(o.Symbolic, o.Direction, o.Mission);
}

/// <summary>Greedy (argmax) rollouts of a model, all episodes of a level stepped as one batch.</summary>
public static class RolloutEvaluator
{
    /// <summary>Fraction of <paramref name="episodes"/> episodes (seeds seed0, seed0+1, …) that succeed.</summary>
    public static double SuccessRate(IAgentModel model, string level, int episodes, long seed0, Device device)
    {
        var envs = Enumerable.Range(0, episodes).Select(_ => RolloutLevels.Create(level)).ToArray();
        var obs = envs.Select((e, i) => e.Reset(seed0 + i)).ToArray();
        var active = Enumerable.Repeat(true, episodes).ToArray();
        int successes = 0, maxSteps = envs.Max(e => e.MaxSteps);
        AgentMemory? memory = null;
        bool wasTraining = model.Module.training;
        model.Module.eval();
        try
        {
            using var _ = no_grad();
            for (int t = 0; t < maxSteps && active.Any(a => a); t++)
            {
                using var noGc = NoGcRegion.Enter();
                using var scope = NewDisposeScope();
                using var batch = EpisodeBatcher.Step(obs, model.Spec.MaxMissionLength, device);
                var previous = memory;
                var logits = model.Forward(batch, ref memory);                       // (B, 7)
                memory!.DetachFromDisposeScope();
                previous?.Dispose();
                var actions = logits.argmax(1).cpu().data<long>().ToArray();
                for (int i = 0; i < episodes; i++)
                {
                    if (!active[i]) continue;
                    var (o, done, success) = envs[i].Step((int)actions[i]);
                    obs[i] = o;
                    if (done) { active[i] = false; if (success) successes++; }
                }
            }
        }
        finally
        {
            memory?.Dispose();
            model.Module.train(wasTraining);
        }
        return (double)successes / episodes;
    }
}
