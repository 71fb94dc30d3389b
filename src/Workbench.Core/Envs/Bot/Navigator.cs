namespace Workbench.Envs;

/// <summary>
/// Shortest action sequences over the cells the agent has seen. States are (x, y, direction); turning and moving
/// cost one action, moving through a closed door (or a locked one with its key in hand) costs two (toggle, then
/// forward). Unseen cells, walls, lava and objects are not passable, except objects when blockers are allowed
/// (they cost extra: the bot has to move them out of the way).
/// </summary>
internal sealed class Navigator
{
    public const int BlockerCost = 8;

    private readonly GridEnv _env;
    private Grid? _grid;
    private bool[] _seen = [];
    private int[] _dist = [];
    private int[] _first = [];
    private int[] _parent = [];
    private readonly List<int>[] _buckets = [[], [], [], [], [], [], [], [], [], [], [], []];

    public Navigator(GridEnv env) => _env = env;

    public Grid Grid => _grid!;

    public bool Seen(int x, int y) => _seen[y * _grid!.Width + x];

    /// <summary>Adds what the agent sees now to the map (and starts a new map when a new episode began).</summary>
    public void Observe()
    {
        if (!ReferenceEquals(_grid, _env.Grid))
        {
            _grid = _env.Grid;
            int n = _grid.Width * _grid.Height;
            _seen = new bool[n];
            _dist = new int[n * 4];
            _first = new int[n * 4];
            _parent = new int[n * 4];
        }
        var (_, visible) = _env.ComputeView();
        const int v = Observation.ViewSize;
        for (int row = 0; row < v; row++)
        {
            for (int col = 0; col < v; col++)
            {
                if (!visible[row * v + col]) continue;
                var (x, y) = _env.ViewToWorld(col, row);
                if (_grid.InBounds(x, y)) _seen[y * _grid.Width + x] = true;
            }
        }
        _seen[_env.AgentY * _grid.Width + _env.AgentX] = true;
    }

    /// <summary>Extra cost of entering a cell: 0 free, 1 door to toggle, BlockerCost for a movable object, −1 impassable.</summary>
    private int EnterCost(int x, int y, bool allowBlockers)
    {
        if (!_grid!.InBounds(x, y) || !_seen[y * _grid.Width + x]) return -1;
        var cell = _grid.Get(x, y);
        if (cell is null) return 0;
        switch (cell.Type)
        {
            case ObjectType.Goal:
            case ObjectType.Floor:
                return 0;
            case ObjectType.Door:
                if (cell.State == DoorState.Open) return 0;
                if (cell.State == DoorState.Closed) return 1;
                return _env.Carrying is { Type: ObjectType.Key } key && key.Color == cell.Color ? 1 : -1;
            case ObjectType.Key:
            case ObjectType.Ball:
            case ObjectType.Box:
            case ObjectType.FashionItem:
                return allowBlockers ? BlockerCost : -1;
            default:
                return -1; // wall, lava
        }
    }

    /// <summary>
    /// Cheapest plan from the agent's pose to any state satisfying <paramref name="goal"/> (x, y, dir). Returns the
    /// first action (Toggle when the first move is into a closed door) and the goal state, or null when unreachable.
    /// </summary>
    public (AgentAction Action, int X, int Y, int Dir)? Plan(Func<int, int, int, bool> goal, bool allowBlockers = false)
    {
        var grid = _grid!;
        int w = grid.Width;
        Array.Fill(_dist, int.MaxValue);
        foreach (var b in _buckets) b.Clear();
        int start = ((_env.AgentY * w) + _env.AgentX) * 4 + _env.AgentDir;
        _dist[start] = 0;
        _first[start] = -1;
        _parent[start] = -1;
        _buckets[0].Add(start);
        // Dial's algorithm: edge costs are at most 2 + BlockerCost, below the number of buckets.
        for (int d = 0, empty = 0; empty < _buckets.Length; d++)
        {
            var bucket = _buckets[d % _buckets.Length];
            if (bucket.Count == 0)
            {
                empty++;
                continue;
            }
            empty = 0;
            for (int k = 0; k < bucket.Count; k++)
            {
                int s = bucket[k];
                if (_dist[s] != d) continue;
                int cell = s >> 2, dir = s & 3, x = cell % w, y = cell / w;
                if (goal(x, y, dir))
                {
                    bucket.Clear();
                    return (s == start ? AgentAction.Drop : (AgentAction)_first[s], x, y, dir);
                }
                Relax(s, (cell << 2) | ((dir + 3) & 3), d + 1, AgentAction.Left);
                Relax(s, (cell << 2) | ((dir + 1) & 3), d + 1, AgentAction.Right);
                var (dx, dy) = GridNames.DirectionVector(dir);
                int nx = x + dx, ny = y + dy;
                int cost = EnterCost(nx, ny, allowBlockers);
                if (cost >= 0) Relax(s, ((ny * w + nx) << 2) | dir, d + 1 + cost, cost == 1 ? AgentAction.Toggle : AgentAction.Forward);
            }
            bucket.Clear();
        }
        return null;

        void Relax(int from, int to, int nd, AgentAction action)
        {
            if (nd >= _dist[to]) return;
            _dist[to] = nd;
            _first[to] = from == start ? (int)action : _first[from];
            _parent[to] = from;
            _buckets[nd % _buckets.Length].Add(to);
        }
    }

    /// <summary>The cells on the cheapest path to the last planned goal state, from the agent onwards.</summary>
    public List<(int X, int Y)> PathTo(int x, int y, int dir)
    {
        int w = _grid!.Width;
        var path = new List<(int, int)>();
        for (int s = ((y * w + x) << 2) | dir; s >= 0; s = _parent[s])
        {
            int cell = s >> 2;
            var p = (cell % w, cell / w);
            if (path.Count == 0 || path[^1] != p) path.Add(p);
        }
        path.Reverse();
        return path;
    }

    /// <summary>
    /// Whether dropping an object on (x, y) keeps the map as usable as before: the cell is free and seen, not next to
    /// a door, and every passable cell and every object next to one stays reachable from the agent.
    /// </summary>
    public bool IsSafeDrop(int x, int y)
    {
        var grid = _grid!;
        if (!grid.InBounds(x, y) || !_seen[y * grid.Width + x] || grid.Get(x, y) is not null) return false;
        for (int d = 0; d < 4; d++)
        {
            var (dx, dy) = GridNames.DirectionVector(d);
            if (grid.InBounds(x + dx, y + dy) && grid.Get(x + dx, y + dy)?.Type == ObjectType.Door) return false;
        }
        var before = Reach(-1, -1);
        var after = Reach(x, y);
        for (int i = 0; i < before.Length; i++)
            if (before[i] && !after[i] && i != y * grid.Width + x) return false;
        return true;
    }

    /// <summary>Cells reachable or touchable from the agent through passable seen cells, with (bx, by) blocked.</summary>
    private bool[] Reach(int bx, int by)
    {
        var grid = _grid!;
        int w = grid.Width;
        var reach = new bool[w * grid.Height];
        var stack = new Stack<int>();
        stack.Push(_env.AgentY * w + _env.AgentX);
        reach[_env.AgentY * w + _env.AgentX] = true;
        while (stack.Count > 0)
        {
            int c = stack.Pop(), x = c % w, y = c / w;
            for (int d = 0; d < 4; d++)
            {
                var (dx, dy) = GridNames.DirectionVector(d);
                int nx = x + dx, ny = y + dy;
                if (!grid.InBounds(nx, ny)) continue;
                int n = ny * w + nx;
                if (reach[n]) continue;
                reach[n] = true; // touched: reachable or adjacent to something reachable
                bool passable = !(nx == bx && ny == by) && EnterCost(nx, ny, false) >= 0;
                if (passable) stack.Push(n);
            }
        }
        return reach;
    }
}
