namespace Workbench.Envs;

/// <summary>Where an object lies relative to the agent at the start of the episode (BabyAI's LOC_NAMES).</summary>
public enum ObjLocation
{
    None,
    Left,
    Right,
    Front,
    Behind,
}

/// <summary>
/// A description of objects as BabyAI's ObjDesc: type, colour, and optionally a location relative to the agent's
/// starting pose ("on your left"), a Fashion-MNIST class ("the sneaker") or a lava neighbourhood
/// ("next to the lava"). A description may match several objects ("a red ball").
/// </summary>
public sealed record ObjDesc(
    ObjectType? Type,
    Color? Color = null,
    ObjLocation Location = ObjLocation.None,
    int? FashionClass = null,
    bool NextToLava = false)
{
    /// <summary>Describes a fashion item by class ("the sneaker").</summary>
    public static ObjDesc Fashion(int fashionClass) => new(ObjectType.FashionItem, FashionClass: fashionClass);

    /// <summary>
    /// The objects this description picks out, as BabyAI's find_matching_objs with locations: locations only
    /// apply to objects in the agent's room (walls of the room included) and compare the offset from the agent with
    /// its facing direction (front: dot(v, forward) &gt; 0, right: dot(v, right) &gt; 0, …).
    /// </summary>
    public List<WorldObject> FindMatches(Grid grid, int agentX, int agentY, int agentDir, int roomSize)
    {
        var found = new List<WorldObject>();
        var (fx, fy) = GridNames.DirectionVector(agentDir);
        int rx = -fy, ry = fx; // right-hand vector: MiniGrid's d2 = (-d1.y, d1.x)
        int roomX0 = 0, roomY0 = 0, roomW = grid.Width, roomH = grid.Height;
        if (roomSize > 0)
        {
            roomX0 = agentX / (roomSize - 1) * (roomSize - 1);
            roomY0 = agentY / (roomSize - 1) * (roomSize - 1);
            roomW = roomH = roomSize;
        }
        // Column-major (x outer) as MiniGrid iterates, so "the first match" is the same object it would pick.
        for (int x = 0; x < grid.Width; x++)
        {
            for (int y = 0; y < grid.Height; y++)
            {
                var cell = grid.Get(x, y);
                if (cell is null || !Matches(cell)) continue;
                if (Location != ObjLocation.None)
                {
                    if (x < roomX0 || y < roomY0 || x >= roomX0 + roomW || y >= roomY0 + roomH) continue;
                    int vx = x - agentX, vy = y - agentY;
                    int forward = vx * fx + vy * fy, right = vx * rx + vy * ry;
                    bool ok = Location switch
                    {
                        ObjLocation.Left => right < 0,
                        ObjLocation.Right => right > 0,
                        ObjLocation.Front => forward > 0,
                        _ => forward < 0,
                    };
                    if (!ok) continue;
                }
                if (NextToLava && !grid.HasNeighbour(x, y, ObjectType.Lava)) continue;
                found.Add(cell);
            }
        }
        return found;
    }

    /// <summary>Type, colour and class test, ignoring location (walls, lava and goals never match).</summary>
    public bool Matches(WorldObject obj)
    {
        if (obj.IsShared || obj.Type == ObjectType.Goal) return false;
        if (Type is { } t && obj.Type != t) return false;
        if (Color is { } c && obj.Color != c) return false;
        if (FashionClass is { } k && obj.FashionClass != k) return false;
        return true;
    }

    /// <summary>BabyAI surface form: "the red ball on your left", "a key", "the sneaker next to the lava".</summary>
    public string Surface(int matchCount)
    {
        string s;
        if (FashionClass is { } k) s = FashionMnist.MissionName(k);
        else
        {
            s = Type is { } t ? t.Name() : "object";
            if (Color is { } c) s = c.Name() + " " + s;
        }
        s += Location switch
        {
            ObjLocation.Front => " in front of you",
            ObjLocation.Behind => " behind you",
            ObjLocation.Left => " on your left",
            ObjLocation.Right => " on your right",
            _ => "",
        };
        if (NextToLava) s += " next to the lava";
        return (matchCount > 1 ? "a " : "the ") + s;
    }
}
