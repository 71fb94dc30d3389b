using Workbench.Envs;
using Workbench.Runtime;

namespace Workbench.Tests.Envs;

public class LevelTests
{
    [Theory]
    [MemberData(nameof(LevelData.Available), MemberType = typeof(LevelData))]
    public void Same_seed_gives_the_same_episode(string level)
    {
        for (int seed = 0; seed < 20; seed++)
        {
            var a = Play(level, seed);
            var b = Play(level, seed);
            Assert.Equal(a.Mission, b.Mission);
            Assert.Equal(a.Observations.Count, b.Observations.Count);
            for (int i = 0; i < a.Observations.Count; i++) Assert.Equal(a.Observations[i], b.Observations[i]);
            Assert.Equal(a.Full, b.Full);
        }
    }

    [Theory]
    [MemberData(nameof(LevelData.Available), MemberType = typeof(LevelData))]
    public void Different_seeds_give_different_worlds(string level)
    {
        var worlds = Enumerable.Range(0, 10).Select(seed => Play(level, seed).Full).Distinct().Count();
        Assert.True(worlds >= 8, $"only {worlds} distinct worlds in 10 seeds");
    }

    /// <summary>Random actions from a fixed stream; records the mission, every observation and the final grid text.</summary>
    private static (string Mission, List<byte[]> Observations, string Full) Play(string level, int seed)
    {
        var env = LevelRegistry.Create(level);
        var first = env.Reset(seed);
        var observations = new List<byte[]> { first.Symbolic };
        string start = TextRenderer.Render(env);
        var rng = new Rng(99);
        for (int i = 0; i < 30; i++)
        {
            var r = env.Step((AgentAction)rng.NextInt(6));
            observations.Add(r.Observation.Symbolic);
            if (r.IsDone) break;
        }
        return (first.Mission, observations, start);
    }

    [Theory]
    [InlineData("GoToRedBallGrey", 64, 8)]
    [InlineData("GoToRedBall", 64, 8)]
    [InlineData("GoToObj", 64, 8)]
    [InlineData("GoToLocal", 64, 8)]
    [InlineData("PickupLoc", 64, 8)]
    [InlineData("PutNextLocal", 128, 8)]
    [InlineData("GoToObjMaze", 576, 22)]
    [InlineData("GoTo", 576, 22)]
    [InlineData("Open", 576, 22)]
    [InlineData("Unlock", 576, 22)]
    [InlineData("LavaCrossingS9N1", 324, 9)]
    [InlineData("LavaCrossingS9N2", 324, 9)]
    [InlineData("LavaGapS7", 196, 7)]
    public void Levels_have_babyai_and_minigrid_sizes_and_step_limits(string level, int maxSteps, int size)
    {
        var env = LevelRegistry.Create(level);
        env.Reset(0);
        Assert.Equal(maxSteps, env.MaxSteps);
        Assert.Equal((size, size), (env.Grid.Width, env.Grid.Height));
    }

    [Fact]
    public void GoToRedBallGrey_has_one_red_ball_and_seven_grey_distractors()
    {
        var env = LevelRegistry.Create("GoToRedBallGrey");
        for (int seed = 0; seed < 50; seed++)
        {
            env.Reset(seed);
            var objects = env.Grid.Objects().ToList();
            Assert.Equal(8, objects.Count);
            Assert.Single(objects, o => o.Color == Color.Red && o.Type == ObjectType.Ball);
            Assert.Equal(7, objects.Count(o => o.Color == Color.Grey));
            Assert.Equal("go to the red ball", env.Mission);
        }
    }

    [Fact]
    public void GoToRedBallNoDists_has_only_the_ball()
    {
        var env = LevelRegistry.Create("GoToRedBallNoDists");
        env.Reset(5);
        Assert.Single(env.Grid.Objects());
    }

    [Fact]
    public void Unlock_has_exactly_one_locked_door_and_a_key_of_its_colour_outside()
    {
        var env = LevelRegistry.Create("Unlock");
        for (int seed = 0; seed < 30; seed++)
        {
            env.Reset(seed);
            var locked = env.Grid.Objects().Where(o => o.Type == ObjectType.Door && o.State == DoorState.Locked).ToList();
            Assert.Single(locked);
            Assert.Contains(env.Grid.Objects(), o => o.Type == ObjectType.Key && o.Color == locked[0].Color);
            // "the" when it is the only door of its colour, "a" otherwise (BabyAI's surface).
            Assert.Matches($"^open (the|a) {locked[0].Color.Name()} door$", env.Mission);
        }
    }

    [Fact]
    public void Lava_crossing_rivers_each_have_one_gap()
    {
        var env = LevelRegistry.Create("LavaCrossingS9N1");
        for (int seed = 0; seed < 30; seed++)
        {
            env.Reset(seed);
            int lava = Enumerable.Range(0, 81).Count(i => env.Grid.Get(i % 9, i / 9)?.Type == ObjectType.Lava);
            Assert.Equal(6, lava); // one river of 7 cells minus the gap
            Assert.Equal((1, 1, 0), (env.AgentX, env.AgentY, env.AgentDir));
            Assert.Equal(ObjectType.Goal, env.Grid.Get(7, 7)!.Type);
        }
    }

    [Fact]
    public void Unknown_level_names_are_rejected_with_the_list_of_valid_names()
    {
        var e = Assert.Throws<ArgumentException>(() => LevelRegistry.Create("GoToBlueMoon"));
        Assert.Contains("GoToBlueMoon", e.Message);
        foreach (var name in LevelRegistry.Names) Assert.Contains(name, e.Message);
    }

    [Fact]
    public void Registry_contains_the_required_levels()
    {
        string[] required =
        [
            "GoToRedBallGrey", "GoToRedBall", "GoToRedBallNoDists", "GoToObj", "GoToLocal", "PickupLoc", "PutNextLocal",
            "GoToObjMaze", "GoTo", "Open", "Unlock", "LavaCrossingS9N1", "LavaCrossingS9N2", "LavaGapS7",
            "HarmfulLava", "BenignLavaLookalike", "FashionGoTo",
        ];
        foreach (var name in required) Assert.Contains(name, LevelRegistry.Names);
    }
}
