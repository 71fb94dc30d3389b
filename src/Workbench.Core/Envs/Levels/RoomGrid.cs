using Workbench.Runtime;

namespace Workbench.Envs;

/// <summary>
/// BabyAI's RoomGrid as a builder for one episode: rows × columns of square rooms sharing walls, door positions
/// drawn at construction, and the helpers levels use (place agent, add objects and distractors, connect all rooms,
/// reachability check). Every random draw goes through the episode's <see cref="Rng"/> in a fixed order.
/// </summary>
public sealed class RoomGrid
{
    private readonly Rng _rng;

    public RoomGrid(Rng rng, int roomSize, int rows, int cols)
    {
        _rng = rng;
        RoomSize = roomSize;
        Rows = rows;
        Cols = cols;
        int width = (roomSize - 1) * cols + 1, height = (roomSize - 1) * rows + 1;
        Grid = new Grid(width, height);
        Rooms = new Room[rows, cols];
        for (int j = 0; j < rows; j++)
        {
            for (int i = 0; i < cols; i++)
            {
                var room = new Room(i * (roomSize - 1), j * (roomSize - 1), roomSize);
                Rooms[j, i] = room;
                Grid.WallRect(room.Left, room.Top, roomSize, roomSize);
            }
        }
        for (int j = 0; j < rows; j++)
        {
            for (int i = 0; i < cols; i++)
            {
                var room = Rooms[j, i];
                int xl = room.Left + 1, yl = room.Top + 1, xm = room.Left + roomSize - 1, ym = room.Top + roomSize - 1;
                if (i < cols - 1)
                {
                    room.Neighbors[0] = Rooms[j, i + 1];
                    room.DoorPositions[0] = (xm, rng.NextInt(yl, ym));
                }
                if (j < rows - 1)
                {
                    room.Neighbors[1] = Rooms[j + 1, i];
                    room.DoorPositions[1] = (rng.NextInt(xl, xm), ym);
                }
                if (i > 0)
                {
                    room.Neighbors[2] = Rooms[j, i - 1];
                    room.DoorPositions[2] = Rooms[j, i - 1].DoorPositions[0];
                }
                if (j > 0)
                {
                    room.Neighbors[3] = Rooms[j - 1, i];
                    room.DoorPositions[3] = Rooms[j - 1, i].DoorPositions[1];
                }
            }
        }
        // The agent starts in the middle room facing east until placed (BabyAI).
        AgentX = cols / 2 * (roomSize - 1) + roomSize / 2;
        AgentY = rows / 2 * (roomSize - 1) + roomSize / 2;
    }

    public Grid Grid { get; }
    public Room[,] Rooms { get; }
    public int RoomSize { get; }
    public int Rows { get; }
    public int Cols { get; }
    public int AgentX { get; private set; }
    public int AgentY { get; private set; }
    public int AgentDir { get; private set; }
    public Rng Rng => _rng;

    public Room RoomAt(int x, int y) => Rooms[Math.Min(y / (RoomSize - 1), Rows - 1), Math.Min(x / (RoomSize - 1), Cols - 1)];

    /// <summary>BabyAI max_steps: room area × rooms × navigations the instruction needs.</summary>
    public int MaxSteps(Instruction instruction) => RoomSize * RoomSize * Rows * Cols * instruction.NavsNeeded;

    public EpisodeSpec ToSpec(Instruction instruction) => new(Grid, AgentX, AgentY, AgentDir, instruction, MaxSteps(instruction), RoomSize);

    /// <summary>
    /// MiniGrid place_obj within a rectangle: uniform cell, not occupied, not the agent, not rejected; gives up
    /// (rejecting the whole sample) after 1000 tries.
    /// </summary>
    public (int X, int Y) PlaceObject(WorldObject? obj, int left, int top, int width, int height, Func<int, int, bool>? reject = null)
    {
        for (int tries = 0; ; tries++)
        {
            if (tries > 1000) throw new RejectSamplingException("rejection sampling failed in PlaceObject");
            int x = _rng.NextInt(left, Math.Min(left + width, Grid.Width));
            int y = _rng.NextInt(top, Math.Min(top + height, Grid.Height));
            if (Grid.Get(x, y) is not null) continue;
            if (x == AgentX && y == AgentY) continue;
            if (reject is not null && reject(x, y)) continue;
            Grid.Set(x, y, obj);
            return (x, y);
        }
    }

    /// <summary>BabyAI place_agent: random room (or the given one), random free cell and direction, facing nothing but empty floor or a wall.</summary>
    public void PlaceAgent(int? col = null, int? row = null)
    {
        var room = Rooms[row ?? _rng.NextInt(Rows), col ?? _rng.NextInt(Cols)];
        for (int tries = 0; ; tries++)
        {
            if (tries > 1000) throw new RejectSamplingException("could not place the agent");
            // MiniGrid place_agent: a free cell (the agent's old position counts as taken), then a random direction.
            int x, y;
            do
            {
                x = _rng.NextInt(room.Left, room.Left + room.Size);
                y = _rng.NextInt(room.Top, room.Top + room.Size);
            }
            while (Grid.Get(x, y) is not null || (x == AgentX && y == AgentY));
            AgentX = x;
            AgentY = y;
            AgentDir = _rng.NextInt(4);
            var (dx, dy) = GridNames.DirectionVector(AgentDir);
            var front = Grid.Get(x + dx, y + dy);
            if (front is null || front.Type == ObjectType.Wall) return;
        }
    }

    /// <summary>Places an agent at a fixed pose (levels that are not BabyAI rooms).</summary>
    public void SetAgent(int x, int y, int dir)
    {
        AgentX = x;
        AgentY = y;
        AgentDir = dir;
    }

    /// <summary>BabyAI add_object / place_in_room: never directly next to the agent's current position.</summary>
    public WorldObject AddObject(int col, int row, ObjectType? type = null, Color? color = null)
    {
        var kind = type ?? _rng.Choice(DistractorTypes);
        var c = color ?? _rng.Choice(GridNames.Colors);
        return AddObject(col, row, WorldObject.Create(kind, c));
    }

    public WorldObject AddObject(int col, int row, WorldObject obj)
    {
        var room = Rooms[row, col];
        PlaceObject(obj, room.Left, room.Top, room.Size, room.Size, (x, y) => Math.Abs(AgentX - x) + Math.Abs(AgentY - y) < 2);
        room.Objects.Add(obj);
        return obj;
    }

    /// <summary>Puts an object at a chosen cell and counts it as one of that room's objects.</summary>
    public void PutObject(int x, int y, WorldObject obj)
    {
        Grid.Set(x, y, obj);
        RoomAt(x, y).Objects.Add(obj);
    }

    public static readonly IReadOnlyList<ObjectType> DistractorTypes = [ObjectType.Key, ObjectType.Ball, ObjectType.Box];

    /// <summary>BabyAI add_distractors: random key/ball/box of random colours in random (or the given) rooms.</summary>
    public List<WorldObject> AddDistractors(int? col = null, int? row = null, int count = 10, bool allUnique = true)
    {
        var existing = new HashSet<(ObjectType, Color)>();
        foreach (var room in Rooms)
            foreach (var o in room.Objects) existing.Add((o.Type, o.Color));
        var added = new List<WorldObject>();
        while (added.Count < count)
        {
            var color = _rng.Choice(GridNames.Colors);
            var type = _rng.Choice(DistractorTypes);
            if (allUnique && existing.Contains((type, color))) continue;
            int i = col ?? _rng.NextInt(Cols);
            int j = row ?? _rng.NextInt(Rows);
            added.Add(AddObject(i, j, type, color));
            existing.Add((type, color));
        }
        return added;
    }

    /// <summary>BabyAI add_door: on a random side with a neighbour and no door yet (or the given side).</summary>
    public WorldObject AddDoor(int col, int row, int? side = null, Color? color = null, bool? locked = null)
    {
        var room = Rooms[row, col];
        int k;
        if (side is { } s) k = s;
        else
        {
            do k = _rng.NextInt(4);
            while (room.Neighbors[k] is null || room.Doors[k] is not null);
        }
        var c = color ?? _rng.Choice(GridNames.Colors);
        bool isLocked = locked ?? _rng.NextBool();
        if (room.Doors[k] is not null) throw new InvalidOperationException("door already exists");
        room.Locked = isLocked;
        var door = WorldObject.Door(c, isLocked ? DoorState.Locked : DoorState.Closed);
        var (x, y) = room.DoorPositions[k] ?? throw new InvalidOperationException("no neighbour on that side");
        Grid.Set(x, y, door);
        room.Doors[k] = door;
        room.Neighbors[k]!.Doors[(k + 2) % 4] = door;
        return door;
    }

    /// <summary>BabyAI connect_all: add unlocked doors between random rooms until every room is reachable from the agent's.</summary>
    public void ConnectAll(IReadOnlyList<Color>? doorColors = null, int maxIterations = 5000)
    {
        var colors = doorColors ?? GridNames.Colors;
        var start = RoomAt(AgentX, AgentY);
        for (int it = 0; ; it++)
        {
            if (it > maxIterations) throw new RejectSamplingException("connect_all failed");
            if (ReachableRooms(start) == Rows * Cols) return;
            int i = _rng.NextInt(Cols), j = _rng.NextInt(Rows), k = _rng.NextInt(4);
            var room = Rooms[j, i];
            if (room.DoorPositions[k] is null || room.Doors[k] is not null) continue;
            if (room.Locked || room.Neighbors[k]!.Locked) continue;
            AddDoor(i, j, k, _rng.Choice(colors), false);
        }
    }

    private int ReachableRooms(Room start)
    {
        var seen = new HashSet<Room>();
        var stack = new Stack<Room>();
        stack.Push(start);
        while (stack.Count > 0)
        {
            var room = stack.Pop();
            if (!seen.Add(room)) continue;
            for (int k = 0; k < 4; k++)
                if (room.Doors[k] is not null) stack.Push(room.Neighbors[k]!);
        }
        return seen.Count;
    }

    public void OpenAllDoors()
    {
        foreach (var room in Rooms)
            foreach (var door in room.Doors)
                if (door is not null) door.State = DoorState.Open;
    }

    /// <summary>
    /// BabyAI check_objs_reachable: every object is reachable from the agent through empty cells and doors (locked
    /// ones too). Generators return null (reject the sample) when not; a bool, not an exception, because about one
    /// sample in seven fails here and exceptions would dominate reset time.
    /// </summary>
    public bool ObjectsReachable()
    {
        int w = Grid.Width, h = Grid.Height;
        var reached = new bool[w * h];
        var stack = new Stack<(int, int)>();
        stack.Push((AgentX, AgentY));
        while (stack.Count > 0)
        {
            var (x, y) = stack.Pop();
            if (x < 0 || y < 0 || x >= w || y >= h || reached[y * w + x]) continue;
            reached[y * w + x] = true;
            var cell = Grid.Get(x, y);
            if (cell is not null && cell.Type != ObjectType.Door) continue;
            stack.Push((x + 1, y)); stack.Push((x - 1, y)); stack.Push((x, y + 1)); stack.Push((x, y - 1));
        }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (Grid.Get(x, y) is { } c && c.Type != ObjectType.Wall && !reached[y * w + x])
                    return false;
        return true;
    }
}
