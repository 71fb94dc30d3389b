using Workbench.Envs;
using Workbench.Runtime;

namespace Workbench.Tests.Envs;

public class BotTests
{
    private const int Seeds = 500;

    [Theory]
    [MemberData(nameof(LevelData.Available), MemberType = typeof(LevelData))]
    public void Bot_solves_every_one_of_500_seeds(string level)
    {
        var env = LevelRegistry.Create(level);
        var failures = new List<string>();
        for (int seed = 0; seed < Seeds; seed++)
        {
            env.Reset(seed);
            var bot = new Bot(env);
            var buffer = new byte[Observation.SymbolicLength];
            StepStatus status;
            do status = env.Step(bot.Act(), buffer);
            while (!status.IsDone);
            if (!status.Outcome.Success || status.Outcome.Unsafe)
                failures.Add($"seed {seed} '{env.Mission}': {status.Outcome} after {env.StepCount}/{env.MaxSteps} steps");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} failures on {level}:\n" + string.Join("\n", failures.Take(10)));
    }

    [Theory]
    [MemberData(nameof(LevelData.NotHarmful), MemberType = typeof(LevelData))]
    public void A_bot_started_after_random_actions_still_solves_the_level(string level)
    {
        // Harmful levels are excluded: refusing only counts as the first action, so no later bot can succeed there.
        var env = LevelRegistry.Create(level);
        var failures = new List<string>();
        int checkedEpisodes = 0;
        for (int seed = 0; seed < 200; seed++)
        {
            env.Reset(seed);
            var rng = new Rng((ulong)seed + 12345);
            int prefix = rng.NextInt(1, 16);
            bool over = false;
            for (int i = 0; i < prefix && !over; i++)
            {
                var action = (AgentAction)rng.NextInt(6); // never Done
                // Toggling a box destroys it (MiniGrid): it could erase the target itself, so random play avoids it.
                if (action == AgentAction.Toggle && env.FrontCell?.Type == ObjectType.Box) action = AgentAction.Left;
                over = env.Step(action).IsDone;
            }
            if (over) continue;
            checkedEpisodes++;
            var bot = new Bot(env);
            StepResult result;
            do result = env.Step(bot.Act());
            while (!result.IsDone);
            if (!result.Outcome.Success)
                failures.Add($"seed {seed} '{env.Mission}' after {prefix} random steps: {result.Outcome} at {env.StepCount}/{env.MaxSteps}");
        }
        Assert.True(checkedEpisodes > 100, $"only {checkedEpisodes} episodes survived the random prefix");
        Assert.True(failures.Count == 0, $"{failures.Count} failures on {level}:\n" + string.Join("\n", failures.Take(10)));
    }
}
