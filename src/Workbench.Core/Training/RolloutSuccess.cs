using Workbench.Envs;
using Workbench.Models;
using Workbench.Rollouts;
using static TorchSharp.torch;

namespace Workbench.Training;

/// <summary>Training-time rollouts: greedy (argmax) episodes of the model being trained, through the same loop and policy as evals.</summary>
public static class RolloutSuccess
{
    /// <summary>Fraction of <paramref name="episodes"/> episodes of <paramref name="level"/> (seeds seed0, seed0+1, …) that succeed, all stepped as one batch.</summary>
    public static double Rate(IAgentModel model, string level, int episodes, long seed0, Device device)
    {
        if (!LevelRegistry.Names.Contains(level))
            throw new UserError($"unknown rollout level '{level}' (known: {string.Join(", ", LevelRegistry.Names)})");
        bool wasTraining = model.Module.training;
        try
        {
            using var policy = new ModelPolicy("rollout", model, device, ownsModel: false);
            var starts = Enumerable.Range(0, episodes).Select(i =>
            {
                var env = LevelRegistry.Create(level);
                return new RolloutEpisode(env, env.Reset(seed0 + i), level, seed0 + i, episode: 0);
            });
            int successes = RolloutLoop.Run(policy, starts, episodes).Count(e => e.Last!.Outcome.Success);
            return (double)successes / episodes;
        }
        finally
        {
            model.Module.train(wasTraining);
        }
    }
}
