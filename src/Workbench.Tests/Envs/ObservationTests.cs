using Workbench.Envs;

namespace Workbench.Tests.Envs;

public class ObservationTests
{
    // Agent at (4, 7) facing north in a 9×9 room: view cell (row r, col c) is world (c + 1, r + 1).

    [Fact]
    public void Agent_sits_at_row_6_col_3_and_sees_what_is_ahead_at_lower_rows()
    {
        var env = HandBuilt.Env(9, 4, 7, 3, g =>
        {
            g.Set(4, 5, WorldObject.Ball(Color.Red));   // two ahead
            g.Set(3, 7, WorldObject.Key(Color.Blue));   // on the left
            g.Set(5, 6, WorldObject.Box(Color.Yellow)); // ahead-right
        });
        var obs = env.Observe();
        Assert.Equal((ObjectType.Ball, Color.Red, (byte)0), obs.At(4, 3));
        Assert.Equal((ObjectType.Key, Color.Blue, (byte)0), obs.At(6, 2));
        Assert.Equal((ObjectType.Box, Color.Yellow, (byte)0), obs.At(5, 4));
        Assert.Equal((ObjectType.Empty, (Color)0, (byte)0), obs.At(6, 3)); // own cell, hands empty
        Assert.Equal(3, obs.Direction);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_cell_in_front_is_at_row_5_col_3_in_every_direction(int dir)
    {
        var (dx, dy) = GridNames.DirectionVector(dir);
        var env = HandBuilt.Env(9, 4, 4, dir, g => g.Set(4 + dx, 4 + dy, WorldObject.Ball(Color.Purple)));
        Assert.Equal((ObjectType.Ball, Color.Purple, (byte)0), env.Observe().At(5, 3));
    }

    [Fact]
    public void A_wall_hides_what_is_behind_it()
    {
        var env = HandBuilt.Env(9, 4, 7, 3, g =>
        {
            g.HorizontalWall(1, 5, 7);
            g.Set(4, 3, WorldObject.Ball(Color.Green));
        });
        var obs = env.Observe();
        Assert.Equal(ObjectType.Wall, obs.At(4, 3).Type);      // the wall itself is seen
        Assert.Equal(ObjectType.Unseen, obs.At(2, 3).Type);    // the ball behind it is not
        Assert.Equal(ObjectType.Unseen, obs.At(3, 3).Type);
    }

    [Fact]
    public void A_closed_door_blocks_sight_and_shows_state_closed()
    {
        var env = HandBuilt.Env(9, 4, 7, 3, g =>
        {
            g.HorizontalWall(1, 5, 7);
            g.Set(4, 5, WorldObject.Door(Color.Blue, DoorState.Closed));
            g.Set(4, 3, WorldObject.Ball(Color.Green));
        });
        var obs = env.Observe();
        Assert.Equal((ObjectType.Door, Color.Blue, (byte)DoorState.Closed), obs.At(4, 3));
        Assert.Equal(ObjectType.Unseen, obs.At(2, 3).Type);
    }

    [Fact]
    public void An_open_door_lets_the_agent_see_through()
    {
        var env = HandBuilt.Env(9, 4, 7, 3, g =>
        {
            g.HorizontalWall(1, 5, 7);
            g.Set(4, 5, WorldObject.Door(Color.Blue, DoorState.Open));
            g.Set(4, 3, WorldObject.Ball(Color.Green));
        });
        var obs = env.Observe();
        Assert.Equal((ObjectType.Door, Color.Blue, (byte)DoorState.Open), obs.At(4, 3));
        Assert.Equal((ObjectType.Ball, Color.Green, (byte)0), obs.At(2, 3));
    }

    [Fact]
    public void A_locked_door_is_encoded_with_state_2()
    {
        var env = HandBuilt.Env(9, 4, 7, 3, g => g.Set(4, 6, WorldObject.Door(Color.Yellow, DoorState.Locked)));
        Assert.Equal((ObjectType.Door, Color.Yellow, (byte)2), env.Observe().At(5, 3));
    }

    [Fact]
    public void Cells_outside_the_grid_look_like_walls()
    {
        // No outer wall: the agent at the west edge facing north sees the outside as a wall on its left.
        var env = HandBuilt.Env(9, 0, 4, 3, _ => { }, walls: false);
        var obs = env.Observe();
        Assert.Equal((ObjectType.Wall, Color.Grey, (byte)0), obs.At(6, 2));
        Assert.Equal((ObjectType.Wall, Color.Grey, (byte)0), obs.At(5, 2));
        Assert.Equal(ObjectType.Unseen, obs.At(6, 0).Type); // beyond that wall
        Assert.Equal(ObjectType.Empty, obs.At(6, 4).Type);
    }

    [Fact]
    public void A_carried_object_is_shown_in_the_agents_cell_and_leaves_the_grid()
    {
        var env = HandBuilt.Env(9, 4, 7, 3, g => g.Set(4, 6, WorldObject.Key(Color.Red)));
        var result = env.Step(AgentAction.Pickup);
        Assert.Equal((ObjectType.Key, Color.Red, (byte)0), result.Observation.At(6, 3));
        Assert.Equal((ObjectType.Empty, (Color)0, (byte)0), result.Observation.At(5, 3));
        Assert.Null(env.Grid.Get(4, 6));
        Assert.Equal(-1, env.Carrying!.X);
    }

    [Fact]
    public void Symbolic_observation_is_147_bytes_and_uses_minigrid_indices()
    {
        Assert.Equal(147, Observation.SymbolicLength);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 },
            new[] { ObjectType.Unseen, ObjectType.Empty, ObjectType.Wall, ObjectType.Floor, ObjectType.Door, ObjectType.Key, ObjectType.Ball, ObjectType.Box, ObjectType.Goal, ObjectType.Lava, ObjectType.Agent }.Select(t => (byte)t));
        Assert.Equal(["red", "green", "blue", "purple", "yellow", "grey"], GridNames.Colors.Select(c => c.Name()));
        Assert.Equal(new[] { 0, 1, 2 }, new[] { (int)DoorState.Open, (int)DoorState.Closed, (int)DoorState.Locked });
    }

    [Fact]
    public void Step_into_a_buffer_writes_the_same_observation_as_Step()
    {
        var a = LevelRegistry.Create("GoToLocal");
        var b = LevelRegistry.Create("GoToLocal");
        a.Reset(3);
        b.Reset(3);
        var buffer = new byte[Observation.SymbolicLength];
        foreach (var action in new[] { AgentAction.Left, AgentAction.Forward, AgentAction.Forward, AgentAction.Right, AgentAction.Pickup })
        {
            var r = a.Step(action);
            var s = b.Step(action, buffer);
            Assert.Equal(r.Observation.Symbolic, buffer);
            Assert.Equal(r.Reward, s.Reward);
            if (r.IsDone) break;
        }
    }

    [Theory]
    [InlineData("GoToLocal")]
    [InlineData("PickupLoc")]
    [InlineData("LavaGapS7")]
    [InlineData("GoToRedBallGrey")]
    public void The_models_view_and_the_bots_and_renderers_view_are_the_same_cells(string level)
    {
        // WriteSymbolic (what models read) and ComputeView (what the bot maps and the renderer draws) share one slice; this
        // checks them against each other over random walks, turns and pickups included.
        var env = LevelRegistry.Create(level);
        var rng = new Workbench.Runtime.Rng(7);
        var symbolic = new byte[Observation.SymbolicLength];
        for (int episode = 0; episode < 20; episode++)
        {
            env.Reset(episode);
            for (int t = 0; t < 40 && !env.IsFinished; t++)
            {
                env.WriteSymbolic(symbolic);
                var (view, visible) = env.ComputeView();
                for (int k = 0; k < Observation.ViewSize * Observation.ViewSize; k++)
                {
                    int code = visible[k] ? Grid.Code(view[k]) : 0;
                    Assert.True(symbolic[k * 3] == (byte)code && symbolic[k * 3 + 1] == (byte)(code >> 8) && symbolic[k * 3 + 2] == (byte)(code >> 16),
                        $"{level} episode {episode} step {t} cell {k}: symbolic ({symbolic[k * 3]}, {symbolic[k * 3 + 1]}, {symbolic[k * 3 + 2]}) vs view {view[k]?.ToString() ?? "empty"} visible {visible[k]}");
                }
                env.Step((AgentAction)(rng.NextInt(10) switch { < 5 => 2, 5 or 6 => 0, 7 => 1, 8 => 3, _ => 5 }));
            }
        }
    }
}
