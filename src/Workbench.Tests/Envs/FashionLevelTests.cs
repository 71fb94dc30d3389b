using Workbench.Envs;
using Workbench.Runtime;

namespace Workbench.Tests.Envs;

/// <summary>The registry-driven checks for FashionGrid levels, skipped (with the reason shown) without the dataset.</summary>
public class FashionLevelTests
{
    [FashionFact]
    public void Bot_solves_500_seeds_of_every_FashionGrid_level()
    {
        foreach (var level in LevelData.FashionLevels)
        {
            var env = LevelRegistry.Create(level);
            var buffer = new byte[Observation.SymbolicLength];
            for (int seed = 0; seed < 500; seed++)
            {
                env.Reset(seed, buffer);
                var bot = new Bot(env);
                StepStatus status;
                do status = env.Step(bot.Act(), buffer);
                while (!status.IsDone);
                Assert.True(status.Outcome.Success, $"{level} seed {seed} '{env.Mission}' failed");
            }
        }
    }

    [FashionFact]
    public void FashionGrid_episodes_are_deterministic_and_their_words_known()
    {
        foreach (var level in LevelData.FashionLevels)
        {
            var a = LevelRegistry.Create(level);
            var b = LevelRegistry.Create(level);
            for (int seed = 0; seed < 50; seed++)
            {
                a.Reset(seed);
                b.Reset(seed);
                Assert.Equal(a.Mission, b.Mission);
                Assert.Empty(MissionVocabulary.UnknownWords(a.Mission));
                Assert.Equal(EnvRendering.RenderEgocentric(a, 8), EnvRendering.RenderEgocentric(b, 8));
                Assert.Equal(a.Grid.Objects().Select(o => o.ImageIndex), b.Grid.Objects().Select(o => o.ImageIndex));
            }
        }
    }

    [FashionFact]
    public void Held_out_level_draws_pictures_from_the_test_split()
    {
        var env = LevelRegistry.Create("FashionGoToTest");
        var test = FashionMnist.Default.Test;
        for (int seed = 0; seed < 20; seed++)
        {
            env.Reset(seed);
            foreach (var item in env.Grid.Objects())
            {
                Assert.Equal(item.FashionClass, test.Labels[item.ImageIndex]);
                Assert.True(item.Picture.Span.SequenceEqual(test.Image(item.ImageIndex).Span));
            }
        }
    }
}
