using Workbench.Envs;

namespace Workbench.Tests.Envs;

public class MissionTests
{
    [Theory]
    [MemberData(nameof(LevelData.Available), MemberType = typeof(LevelData))]
    public void Every_word_any_level_produces_is_in_the_vocabulary(string level)
    {
        var env = LevelRegistry.Create(level);
        for (int seed = 0; seed < 300; seed++)
        {
            env.Reset(seed);
            Assert.Empty(MissionVocabulary.UnknownWords(env.Mission));
            Assert.DoesNotContain(MissionVocabulary.Unknown, MissionVocabulary.Encode(env.Mission, 64));
        }
    }

    [Fact]
    public void Fashion_class_names_are_in_the_vocabulary()
    {
        foreach (var name in FashionMnist.MissionNames) Assert.Empty(MissionVocabulary.UnknownWords("go to the " + name));
    }

    [Fact]
    public void Encode_lower_cases_splits_punctuation_pads_with_0_and_marks_unknown_words_1()
    {
        var ids = MissionVocabulary.Encode("Go to the RED ball, then open the zebra door", 14);
        Assert.Equal(14, ids.Length);
        Assert.Equal(MissionVocabulary.Id("go"), ids[0]);
        Assert.Equal(MissionVocabulary.Id("red"), ids[3]);
        Assert.Equal(MissionVocabulary.Id(","), ids[5]);
        Assert.Equal(MissionVocabulary.Unknown, ids[9]); // zebra
        Assert.Equal([0L, 0L, 0L], ids[11..]);
        Assert.All(ids[..11], id => Assert.True(id >= 1));
    }

    [Fact]
    public void A_model_with_a_smaller_embedding_table_reads_words_appended_after_it_as_unknown()
    {
        long beside = MissionVocabulary.Id("beside");
        Assert.True(beside >= 59); // appended for the safety families, after models with 64 rows were trained
        var ids = MissionVocabulary.Encode("go to the ball beside the lava", 8, vocabSize: (int)beside);
        Assert.Equal(MissionVocabulary.Unknown, ids[4]);
        Assert.Equal(MissionVocabulary.Id("lava"), ids[6]);
        Assert.Equal(beside, MissionVocabulary.Encode("go to the ball beside the lava", 8, vocabSize: MissionVocabulary.Size)[4]);
        Assert.True(MissionVocabulary.Size <= new Workbench.Training.ModelSection().VocabSize, "the default embedding table must hold every word");
    }

    [Fact]
    public void Encode_truncates_to_max_length()
    {
        Assert.Equal(3, MissionVocabulary.Encode("go to the red ball", 3).Length);
        Assert.Equal(MissionVocabulary.Id("the"), MissionVocabulary.Encode("go to the red ball", 3)[2]);
    }

    [Fact]
    public void Vocabulary_ids_are_distinct_and_start_at_2()
    {
        var ids = MissionVocabulary.Words.Select(MissionVocabulary.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(2, ids.Min());
        Assert.Equal(MissionVocabulary.Size - 1, ids.Max());
    }

    [Fact]
    public void PickupLoc_describes_objects_by_location()
    {
        var env = LevelRegistry.Create("PickupLoc");
        var missions = Enumerable.Range(0, 200).Select(s => { env.Reset(s); return env.Mission; }).ToList();
        foreach (var phrase in new[] { "on your left", "on your right", "in front of you", "behind you" })
            Assert.Contains(missions, m => m.Contains(phrase));
        Assert.All(missions, m => Assert.StartsWith("pick up ", m));
    }

    [Fact]
    public void GoToSeq_produces_then_and_after_you_sequences()
    {
        var env = LevelRegistry.Create("GoToSeq");
        var missions = Enumerable.Range(0, 200).Select(s => { env.Reset(s); return env.Mission; }).ToList();
        Assert.Contains(missions, m => m.Contains(", then go to"));
        Assert.Contains(missions, m => m.Contains(" and go to"));
        Assert.Contains(missions, m => m.Contains(" after you go to"));
    }

    [Fact]
    public void Descriptions_say_a_when_several_objects_match()
    {
        Assert.Equal("a red ball", new ObjDesc(ObjectType.Ball, Color.Red).Surface(2));
        Assert.Equal("the key on your left", new ObjDesc(ObjectType.Key, null, ObjLocation.Left).Surface(1));
        Assert.Equal("the blue box next to the lava", new ObjDesc(ObjectType.Box, Color.Blue, NextToLava: true).Surface(1));
        Assert.Equal("the sneaker", ObjDesc.Fashion(7).Surface(1));
    }

    [Fact]
    public void Locations_are_relative_to_the_agents_start_pose()
    {
        // Agent at (4,4) facing east: north is its left, south its right.
        var grid = new Grid(9, 9);
        grid.WallRect(0, 0, 9, 9);
        var north = WorldObject.Ball(Color.Red);
        var south = WorldObject.Ball(Color.Blue);
        var ahead = WorldObject.Ball(Color.Green);
        grid.Set(4, 2, north);
        grid.Set(4, 6, south);
        grid.Set(6, 4, ahead);
        Assert.Equal([north], new ObjDesc(ObjectType.Ball, null, ObjLocation.Left).FindMatches(grid, 4, 4, 0, 0));
        Assert.Equal([south], new ObjDesc(ObjectType.Ball, null, ObjLocation.Right).FindMatches(grid, 4, 4, 0, 0));
        Assert.Equal([ahead], new ObjDesc(ObjectType.Ball, null, ObjLocation.Front).FindMatches(grid, 4, 4, 0, 0));
        Assert.Empty(new ObjDesc(ObjectType.Ball, null, ObjLocation.Behind).FindMatches(grid, 4, 4, 0, 0));
    }

    [Fact]
    public void Go_to_succeeds_by_facing_the_object_not_by_matching_text()
    {
        var env = HandBuilt.GoTo(9, 4, 7, 3, g => { g.Set(4, 5, WorldObject.Ball(Color.Blue)); g.Set(2, 7, WorldObject.Ball(Color.Red)); },
            new ObjDesc(ObjectType.Ball, Color.Red));
        Assert.False(env.Step(AgentAction.Forward).IsDone); // facing the blue ball: not the target
        env = HandBuilt.GoTo(9, 4, 7, 3, g => { g.Set(4, 5, WorldObject.Ball(Color.Blue)); g.Set(2, 7, WorldObject.Ball(Color.Red)); },
            new ObjDesc(ObjectType.Ball, Color.Red));
        env.Step(AgentAction.Left);
        Assert.True(env.Step(AgentAction.Forward).Outcome.Success); // at (3,7) facing the red ball
    }

    [Fact]
    public void Then_requires_the_first_part_first_and_after_you_the_second()
    {
        void Build(Grid g)
        {
            g.Set(4, 6, WorldObject.Ball(Color.Red)); // north of the agent
            g.Set(5, 7, WorldObject.Key(Color.Blue)); // east
        }
        var red = new GoToInstr(new ObjDesc(ObjectType.Ball, Color.Red));
        var blue = new GoToInstr(new ObjDesc(ObjectType.Key, Color.Blue));

        var then = HandBuilt.Env(9, 4, 7, 0, Build, new BeforeInstr(red, blue)); // facing the key first
        Assert.Equal("go to the red ball, then go to the blue key", then.Mission);
        Assert.False(then.Step(AgentAction.Drop).IsDone);  // facing the key before the ball: not yet
        Assert.False(then.Step(AgentAction.Left).IsDone);  // faces the ball: first part done
        Assert.True(then.Step(AgentAction.Right).Outcome.Success);

        var after = HandBuilt.Env(9, 4, 7, 0, Build, new AfterInstr(red, blue));
        Assert.Equal("go to the red ball after you go to the blue key", after.Mission);
        Assert.False(after.Step(AgentAction.Drop).IsDone); // blue key first: done
        Assert.True(after.Step(AgentAction.Left).Outcome.Success);

        var and = HandBuilt.Env(9, 4, 7, 0, Build, new AndInstr(red, blue));
        Assert.Equal("go to the red ball and go to the blue key", and.Mission);
        Assert.False(and.Step(AgentAction.Left).IsDone);
        Assert.True(and.Step(AgentAction.Right).Outcome.Success);
    }

    [Fact]
    public void Put_next_to_succeeds_when_the_drop_lands_beside_the_fixed_object()
    {
        var env = HandBuilt.Env(9, 4, 7, 3, g => { g.Set(4, 6, WorldObject.Ball(Color.Red)); g.Set(2, 6, WorldObject.Box(Color.Green)); },
            new PutNextInstr(new ObjDesc(ObjectType.Ball, Color.Red), new ObjDesc(ObjectType.Box, Color.Green)));
        Assert.Equal("put the red ball next to the green box", env.Mission);
        env.Step(AgentAction.Pickup);
        env.Step(AgentAction.Left);
        var r = env.Step(AgentAction.Drop); // at (3,7): next to (2,7)? no — the box is at (2,6): diagonal
        Assert.False(r.IsDone);
        env.Step(AgentAction.Pickup);
        env.Step(AgentAction.Right);
        env.Step(AgentAction.Left);
        env.Step(AgentAction.Right);
        env.Step(AgentAction.Forward); // (4,6)
        env.Step(AgentAction.Left);    // facing (3,6), which touches the box at (2,6)
        Assert.True(env.Step(AgentAction.Drop).Outcome.Success);
    }

    [Fact]
    public void Pickup_counts_only_the_described_object()
    {
        var env = HandBuilt.Env(9, 4, 7, 3, g => { g.Set(4, 6, WorldObject.Key(Color.Red)); g.Set(3, 7, WorldObject.Key(Color.Blue)); },
            new PickupInstr(new ObjDesc(ObjectType.Key, Color.Blue)));
        Assert.False(env.Step(AgentAction.Pickup).IsDone);
        env.Step(AgentAction.Left);
        Assert.False(env.Step(AgentAction.Pickup).IsDone); // hands full: cannot pick the blue key
        env.Step(AgentAction.Right);
        env.Step(AgentAction.Right);
        env.Step(AgentAction.Drop); // red key dropped east
        env.Step(AgentAction.Left);
        env.Step(AgentAction.Left);
        Assert.True(env.Step(AgentAction.Pickup).Outcome.Success);
    }

    [Fact]
    public void Open_succeeds_when_the_described_door_is_toggled_open()
    {
        var env = HandBuilt.Env(9, 4, 7, 3, g => g.Set(4, 6, WorldObject.Door(Color.Purple)), new OpenInstr(new ObjDesc(ObjectType.Door, Color.Purple)));
        Assert.Equal("open the purple door", env.Mission);
        Assert.True(env.Step(AgentAction.Toggle).Outcome.Success);
    }
}
