using Workbench.Runtime;

namespace Workbench.Envs;

/// <summary>
/// BabyAI levels (Chevalier-Boisvert et al., ICLR 2019) as episode generators: same room sizes, distractor counts,
/// placement rules and rejection sampling as the reference levels. Room size 8 means 8 cells including walls.
/// </summary>
public static class BabyAiLevels
{
    /// <summary>Single 8×8 room, red ball and 7 grey distractors; "go to the red ball".</summary>
    public static EpisodeSpec? GoToRedBallGrey(Rng rng)
    {
        var rg = new RoomGrid(rng, 8, 1, 1);
        rg.PlaceAgent();
        var ball = rg.AddObject(0, 0, ObjectType.Ball, Color.Red);
        foreach (var d in rg.AddDistractors(count: 7, allUnique: false)) d.Color = Color.Grey;
        if (!rg.ObjectsReachable()) return null;
        return rg.ToSpec(new GoToInstr(new ObjDesc(ball.Type, ball.Color)));
    }

    /// <summary>Single 8×8 room, red ball and the given number of distractors of any colour.</summary>
    public static EpisodeSpec? GoToRedBall(Rng rng, int distractors)
    {
        var rg = new RoomGrid(rng, 8, 1, 1);
        rg.PlaceAgent();
        var ball = rg.AddObject(0, 0, ObjectType.Ball, Color.Red);
        rg.AddDistractors(count: distractors, allUnique: false);
        if (!rg.ObjectsReachable()) return null;
        return rg.ToSpec(new GoToInstr(new ObjDesc(ball.Type, ball.Color)));
    }

    /// <summary>Single 8×8 room, one object, no distractors.</summary>
    public static EpisodeSpec? GoToObj(Rng rng)
    {
        var rg = new RoomGrid(rng, 8, 1, 1);
        rg.PlaceAgent();
        var obj = rg.AddDistractors(count: 1)[0];
        return rg.ToSpec(new GoToInstr(new ObjDesc(obj.Type, obj.Color)));
    }

    /// <summary>Single 8×8 room, 8 objects, go to one of them.</summary>
    public static EpisodeSpec? GoToLocal(Rng rng)
    {
        var rg = new RoomGrid(rng, 8, 1, 1);
        rg.PlaceAgent();
        var objs = rg.AddDistractors(count: 8, allUnique: false);
        if (!rg.ObjectsReachable()) return null;
        var obj = rng.Choice(objs);
        return rg.ToSpec(new GoToInstr(new ObjDesc(obj.Type, obj.Color)));
    }

    /// <summary>Single 8×8 room, 8 distinct objects; put one next to another (rejected if already adjacent).</summary>
    public static EpisodeSpec? PutNextLocal(Rng rng)
    {
        var rg = new RoomGrid(rng, 8, 1, 1);
        rg.PlaceAgent();
        var objs = rg.AddDistractors(count: 8, allUnique: true);
        if (!rg.ObjectsReachable()) return null;
        int a = rng.NextInt(objs.Count), b = rng.NextInt(objs.Count - 1);
        if (b >= a) b++;
        return rg.ToSpec(new PutNextInstr(new ObjDesc(objs[a].Type, objs[a].Color), new ObjDesc(objs[b].Type, objs[b].Color)));
    }

    /// <summary>3×3 rooms of size 8 with closed doors; go to an object anywhere (GoTo: 18 distractors; GoToObjMaze: 1).</summary>
    public static EpisodeSpec? GoTo(Rng rng, int distractors, bool doorsOpen = false)
    {
        var rg = new RoomGrid(rng, 8, 3, 3);
        rg.PlaceAgent();
        rg.ConnectAll();
        var objs = rg.AddDistractors(count: distractors, allUnique: false);
        if (!rg.ObjectsReachable()) return null;
        var obj = rng.Choice(objs);
        if (doorsOpen) rg.OpenAllDoors();
        return rg.ToSpec(new GoToInstr(new ObjDesc(obj.Type, obj.Color)));
    }

    /// <summary>3×3 rooms, 18 distractors; open a door, which may be in another room.</summary>
    public static EpisodeSpec? Open(Rng rng)
    {
        var rg = new RoomGrid(rng, 8, 3, 3);
        rg.PlaceAgent();
        rg.ConnectAll();
        rg.AddDistractors(count: 18, allUnique: false);
        if (!rg.ObjectsReachable()) return null;
        var doors = new List<WorldObject>();
        for (int i = 0; i < rg.Cols; i++)
            for (int j = 0; j < rg.Rows; j++)
                foreach (var door in rg.Rooms[j, i].Doors)
                    if (door is not null) doors.Add(door);
        var target = rng.Choice(doors);
        return rg.ToSpec(new OpenInstr(new ObjDesc(ObjectType.Door, target.Color)));
    }

    /// <summary>3×3 rooms; one locked door, its key in another room, 3 distractors in every other room; open the locked door.</summary>
    public static EpisodeSpec? Unlock(Rng rng)
    {
        var rg = new RoomGrid(rng, 8, 3, 3);
        int id = rng.NextInt(rg.Cols), jd = rng.NextInt(rg.Rows);
        var door = rg.AddDoor(id, jd, locked: true);
        var lockedRoom = rg.Rooms[jd, id];
        while (true)
        {
            int ik = rng.NextInt(rg.Cols), jk = rng.NextInt(rg.Rows);
            if (ik == id && jk == jd) continue;
            rg.AddObject(ik, jk, ObjectType.Key, door.Color);
            break;
        }
        // Half the time the locked door is the only door of its colour.
        if (rng.NextBool()) rg.ConnectAll(GridNames.Colors.Where(c => c != door.Color).ToArray());
        else rg.ConnectAll();
        for (int i = 0; i < rg.Cols; i++)
            for (int j = 0; j < rg.Rows; j++)
                if (i != id || j != jd) rg.AddDistractors(i, j, 3, allUnique: false);
        do rg.PlaceAgent();
        while (rg.RoomAt(rg.AgentX, rg.AgentY) == lockedRoom);
        if (!rg.ObjectsReachable()) return null;
        return rg.ToSpec(new OpenInstr(new ObjDesc(ObjectType.Door, door.Color)));
    }
}
