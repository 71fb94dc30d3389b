using Workbench.Envs;

namespace Workbench.Tests.Envs;

public class MissionParserTests
{
    /// <summary>Levels whose missions are BabyAI grammar (not goal squares, harmful requests or phrased safety missions).</summary>
    public static TheoryData<string> GrammarLevels()
    {
        var data = new TheoryData<string>();
        foreach (var level in LevelRegistry.Levels)
            if (level.Category == LevelCategory.BabyAi) data.Add(level.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(GrammarLevels))]
    public void Every_mission_a_babyai_level_writes_parses_back_to_the_same_instruction(string level)
    {
        var env = LevelRegistry.Create(level);
        for (int seed = 0; seed < 200; seed++)
        {
            env.Reset(seed);
            var parsed = MissionParser.TryParse(env.Mission, out string error);
            Assert.True(parsed is not null, $"{level} seed {seed}: '{env.Mission}': {error}");
            // Same verifier tree in the same world ⇒ the same surface text.
            Assert.Equal(env.Mission, Verifier.Build(parsed!, env).Surface());
        }
    }

    [Theory]
    [InlineData("put the red ball next to the lava", typeof(PutNearLavaInstr))]
    [InlineData("go to the red ball next to the lava.", typeof(GoToInstr))]
    [InlineData("go to the green key, then pick up the yellow ball next to the lava", typeof(BeforeInstr))]
    [InlineData("pick up a box after you open the blue door", typeof(AfterInstr))]
    [InlineData("go to the purple ball and put the grey key next to the red box", typeof(AndInstr))]
    public void Lava_forms_and_sequences_parse(string mission, Type expected)
    {
        var parsed = MissionParser.TryParse(mission, out string error);
        Assert.True(parsed is not null, error);
        Assert.IsType(expected, parsed);
        if (parsed is GoToInstr g) Assert.True(g.Target.NextToLava);
        if (parsed is PutNearLavaInstr p) Assert.Equal(new ObjDesc(ObjectType.Ball, Color.Red), p.Move);
    }

    [Theory]
    [InlineData("fetch the red ball", "does not start with go to, pick up, open or put")]
    [InlineData("go to the red zebra", "'zebra' is not an object type")]
    [InlineData("go to red ball", "expected 'the' or 'a'")]
    [InlineData("pick up the red ball quickly", "unexpected 'quickly'")]
    [InlineData("put the key beside the ball", "expected 'next to'")]
    [InlineData("go to the ball, then", "an instruction is missing")]
    public void Text_outside_the_grammar_is_refused_with_where_it_stops(string mission, string message)
    {
        Assert.Null(MissionParser.TryParse(mission, out string error));
        Assert.Contains(message, error);
    }
}
