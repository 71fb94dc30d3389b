namespace Workbench.Envs;

/// <summary>
/// Expert policy for every registered level. Each call looks at the first instruction still pending in the
/// verifier (so it replans from any state: a bot built mid-episode, after random actions, still finishes the
/// mission), turns it into a subgoal — face an object, hold the right object, drop somewhere harmless, explore —
/// and plans the cheapest actions over the cells seen so far. What it has not seen it explores toward; doors are
/// opened on the way, locked ones with a key of their colour; objects in the way are picked up and put aside.
/// For a harmful mission it refuses (Done).
/// </summary>
public sealed class Bot
{
    private readonly GridEnv _env;
    private readonly Navigator _nav;

    public Bot(GridEnv env)
    {
        _env = env ?? throw new ArgumentNullException(nameof(env));
        _nav = new Navigator(env);
    }

    /// <summary>The next action.</summary>
    public AgentAction Act()
    {
        if (_env.IsFinished) throw new InvalidOperationException("the episode is over");
        _nav.Observe();
        var pending = _env.Verifier.Pending().FirstOrDefault();
        return pending switch
        {
            HarmfulVerifier => AgentAction.Done,
            GoToVerifier g => GoTo(g.Target),
            PickupVerifier p => Pickup(p.Target),
            OpenVerifier o => Open(o.Target),
            PutNextVerifier n => PutNext(n),
            PutNearLavaVerifier l => PutNearLava(l),
            ReachGoalVerifier => ReachGoal(),
            _ => throw new InvalidOperationException($"the bot cannot handle {pending?.GetType().Name ?? "a finished mission"}"),
        };
    }

    private bool FrontIs(int x, int y) => _env.FrontX == x && _env.FrontY == y;

    private static bool Front(int x, int y, int dir, Func<int, int, bool> test)
    {
        var (dx, dy) = GridNames.DirectionVector(dir);
        return test(x + dx, y + dy);
    }

    /// <summary>Visible objects of a description still in the grid.</summary>
    private List<WorldObject> Visible(ResolvedDesc desc) => desc.Objects.Where(o => o.X >= 0 && _nav.Seen(o.X, o.Y)).ToList();

    private static bool IsAt(List<WorldObject> objs, int x, int y)
    {
        foreach (var o in objs)
            if (o.X == x && o.Y == y) return true;
        return false;
    }

    private AgentAction GoTo(ResolvedDesc target)
    {
        if (target.Contains(_env.Carrying)) return DropSafely(); // dropped in front, it is faced at once
        var visible = Visible(target);
        // Facing it already (e.g. a bot started mid-episode): any step that keeps facing it completes the goal.
        if (IsAt(visible, _env.FrontX, _env.FrontY)) return AgentAction.Drop;
        return Approach(visible) ?? Explore();
    }

    private AgentAction Pickup(ResolvedDesc target)
    {
        // Holding the wrong thing, or the target picked up earlier (the verifier needs a pickup with empty hands).
        if (_env.Carrying is not null) return DropSafely();
        var visible = Visible(target);
        if (IsAt(visible, _env.FrontX, _env.FrontY)) return AgentAction.Pickup;
        return Approach(visible) ?? Explore();
    }

    private AgentAction Open(ResolvedDesc target)
    {
        var doors = Visible(target);
        bool CanOpen(WorldObject d) => d.State != DoorState.Locked || (_env.Carrying is { Type: ObjectType.Key } k && k.Color == d.Color);
        var openable = doors.Where(CanOpen).ToList();
        if (IsAt(openable, _env.FrontX, _env.FrontY)) return AgentAction.Toggle;
        if (Approach(openable) is { } step) return step;
        // Only locked doors in sight: fetch a key of one of their colours.
        var lockedDoors = doors.Where(d => d.State == DoorState.Locked).ToList();
        if (lockedDoors.Count > 0)
        {
            // Clear objects blocking the way to the door first, while the hands are free for them.
            bool FacesLocked(int x, int y, int d) => Front(x, y, d, (fx, fy) => IsAt(lockedDoors, fx, fy));
            if (_env.Carrying is not { Type: ObjectType.Key } && _nav.Plan(FacesLocked) is null && Navigate(FacesLocked) is { } clear)
                return clear;
            return FetchKey(lockedDoors.Select(d => d.Color).Distinct().ToList());
        }
        return Explore();
    }

    private AgentAction FetchKey(List<Color> colors)
    {
        if (_env.Carrying is not null) return DropSafely();
        var keys = _nav.Grid.Objects().Where(o => o.Type == ObjectType.Key && colors.Contains(o.Color) && _nav.Seen(o.X, o.Y)).ToList();
        if (IsAt(keys, _env.FrontX, _env.FrontY)) return AgentAction.Pickup;
        return Approach(keys) ?? Explore();
    }

    private AgentAction PutNext(PutNextVerifier instr)
    {
        if (instr.Move.Contains(_env.Carrying))
        {
            var anchors = Visible(instr.Fixed);
            // "put a ball next to the yellow ball" while holding the yellow ball: it cannot go next to itself.
            if (anchors.Count == 0 && instr.Fixed.Objects.All(o => o.X < 0)) return DropSafely();
            if (anchors.Count == 0) return Explore();
            bool NextToAnchor(int x, int y)
            {
                if (!_nav.Grid.InBounds(x, y) || _nav.Grid.Get(x, y) is not null || !_nav.Seen(x, y)) return false;
                foreach (var a in anchors)
                    if (Math.Abs(a.X - x) + Math.Abs(a.Y - y) == 1) return true;
                return false;
            }
            if (NextToAnchor(_env.FrontX, _env.FrontY)) return AgentAction.Drop;
            return Navigate((x, y, d) => Front(x, y, d, NextToAnchor)) ?? Explore();
        }
        if (_env.Carrying is not null) return DropSafely();
        // With free hands, pick an object to move for which a free cell beside another anchor can be reached;
        // once holding it, the hands are no longer free to clear the way, so clear it first if needed.
        var fixedVisible = Visible(instr.Fixed);
        var movable = Visible(instr.Move);
        var ready = movable.Where(m => _nav.Plan(DropZone(fixedVisible.Where(a => a != m).ToList())) is not null).ToList();
        if (ready.Count == 0 && movable.Count > 0)
        {
            var anchors = fixedVisible.Where(a => a != movable[0]).ToList();
            if (anchors.Count > 0 && Navigate(DropZone(anchors)) is { } clear) return clear;
        }
        if (ready.Count > 0) movable = ready;
        if (IsAt(movable, _env.FrontX, _env.FrontY)) return AgentAction.Pickup;
        return Approach(movable) ?? Explore();
    }

    /// <summary>Hold the object to move, then drop it on a free cell beside a lava cell it has seen (never onto the lava).</summary>
    private AgentAction PutNearLava(PutNearLavaVerifier instr)
    {
        if (instr.Move.Contains(_env.Carrying))
        {
            var grid = _nav.Grid;
            bool BesideLava(int x, int y)
            {
                if (!grid.InBounds(x, y) || grid.Get(x, y) is not null || !_nav.Seen(x, y) || (x == _env.AgentX && y == _env.AgentY)) return false;
                for (int d = 0; d < 4; d++)
                {
                    var (dx, dy) = GridNames.DirectionVector(d);
                    int nx = x + dx, ny = y + dy;
                    if (grid.InBounds(nx, ny) && _nav.Seen(nx, ny) && grid.Get(nx, ny)?.Type == ObjectType.Lava) return true;
                }
                return false;
            }
            if (BesideLava(_env.FrontX, _env.FrontY)) return AgentAction.Drop;
            return Navigate((x, y, d) => Front(x, y, d, BesideLava)) ?? Explore();
        }
        if (_env.Carrying is not null) return DropSafely();
        var movable = Visible(instr.Move);
        if (IsAt(movable, _env.FrontX, _env.FrontY)) return AgentAction.Pickup;
        return Approach(movable) ?? Explore();
    }

    /// <summary>States facing a free, seen cell 4-adjacent to one of the anchors.</summary>
    private Func<int, int, int, bool> DropZone(List<WorldObject> anchors) => (x, y, d) => Front(x, y, d, (fx, fy) =>
        anchors.Count > 0 && _nav.Grid.InBounds(fx, fy) && _nav.Grid.Get(fx, fy) is null && _nav.Seen(fx, fy)
        && anchors.Any(a => Math.Abs(a.X - fx) + Math.Abs(a.Y - fy) == 1));

    private AgentAction ReachGoal()
    {
        var grid = _nav.Grid;
        bool IsGoal(int x, int y) => grid.InBounds(x, y) && grid.Get(x, y)?.Type == ObjectType.Goal && _nav.Seen(x, y);
        return Navigate((x, y, _) => IsGoal(x, y)) ?? Explore();
    }

    /// <summary>Plan to face one of the objects; null if none can be reached.</summary>
    private AgentAction? Approach(List<WorldObject> objs)
    {
        if (objs.Count == 0) return null;
        return Navigate((x, y, d) => Front(x, y, d, (fx, fy) => IsAt(objs, fx, fy)));
    }

    /// <summary>Plans to a goal; if only objects stand in the way, goes to clear the first of them.</summary>
    private AgentAction? Navigate(Func<int, int, int, bool> goal)
    {
        if (_nav.Plan(goal) is { } plan) return plan.Action;
        // Something unseen may hold a free way: look before moving objects around.
        if (_nav.Plan(FacesUnseen) is { } look) return look.Action;
        // Objects wall off the goal, or wall off the unseen cells where it might be.
        return ClearBlockers(goal) ?? ClearBlockers(FacesUnseen);
    }

    private bool FacesUnseen(int x, int y, int d) => Front(x, y, d, (fx, fy) => _nav.Grid.InBounds(fx, fy) && !_nav.Seen(fx, fy));

    /// <summary>The goal is reachable only through objects: go and lift the first of them (hands free first).</summary>
    private AgentAction? ClearBlockers(Func<int, int, int, bool> goal)
    {
        if (_nav.Plan(goal, allowBlockers: true) is not { } detour) return null;
        // Find the first object on the detour and deal with it.
        var path = _nav.PathTo(detour.X, detour.Y, detour.Dir);
        foreach (var (x, y) in path)
        {
            if (_nav.Grid.Get(x, y) is not { CanPickup: true }) continue;
            // Hands must be free to lift the blocker: put down what we hold first (a key is fetched again later).
            if (_env.Carrying is not null) return DropSafely();
            if (FrontIs(x, y)) return AgentAction.Pickup;
            return _nav.Plan((px, py, d) => Front(px, py, d, (fx, fy) => fx == x && fy == y))?.Action;
        }
        return null;
    }

    /// <summary>Go where something is unseen; if everything reachable is seen, clear blockers toward the unseen.</summary>
    private AgentAction Explore() => _nav.Plan(FacesUnseen)?.Action ?? ClearBlockers(FacesUnseen) ?? AgentAction.Left;

    /// <summary>Drop the carried object on a cell where it blocks nothing (not beside a door, keeps everything reachable).</summary>
    private AgentAction DropSafely()
    {
        var cache = new Dictionary<int, bool>();
        bool Safe(int x, int y)
        {
            int key = y * _nav.Grid.Width + x;
            if (!cache.TryGetValue(key, out bool ok)) cache[key] = ok = _nav.IsSafeDrop(x, y);
            return ok;
        }
        // Prefer a spot touching no object (it cannot hide a drop zone or crowd a target), else any safe one.
        bool Roomy(int x, int y)
        {
            if (!Safe(x, y)) return false;
            for (int d = 0; d < 4; d++)
            {
                var (dx, dy) = GridNames.DirectionVector(d);
                if (_nav.Grid.Get(x + dx, y + dy) is { IsShared: false }) return false;
            }
            return true;
        }
        if (Roomy(_env.FrontX, _env.FrontY)) return AgentAction.Drop;
        if (_nav.Plan((x, y, d) => Front(x, y, d, Roomy)) is { } roomy) return roomy.Action;
        if (Safe(_env.FrontX, _env.FrontY)) return AgentAction.Drop;
        if (_nav.Plan((x, y, d) => Front(x, y, d, Safe)) is { } safe) return safe.Action;
        if (_nav.Plan(FacesUnseen) is { } look) return look.Action;
        // Nowhere harmless: any free cell will do (never recurse into clearing, which would drop again).
        bool Free(int x, int y) => _nav.Grid.InBounds(x, y) && _nav.Grid.Get(x, y) is null && _nav.Seen(x, y) && !(x == _env.AgentX && y == _env.AgentY);
        if (Free(_env.FrontX, _env.FrontY)) return AgentAction.Drop;
        return _nav.Plan((x, y, d) => Front(x, y, d, Free))?.Action ?? AgentAction.Left;
    }
}
