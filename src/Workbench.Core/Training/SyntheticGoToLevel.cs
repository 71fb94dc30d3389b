using Workbench.Data;

namespace Workbench.Training;

/// <summary>
/// A small stand-in for BabyAI's GoToRedBallGrey, built in so training, tests and benchmarks run before the
/// grid world (branch envs) is merged: an 8×8 room with walls, a red ball and three grey distractors, mission
/// "go to the red ball", success when the agent faces the ball, 64 steps. Observations follow the contract:
/// egocentric 7×7×3 MiniGrid encoding (agent at row 6, column 3, looking towards row 0; no occlusion).
/// The expert is a breadth-first search over (x, y, direction), so demonstrations are shortest paths.
/// </summary>
public sealed class SyntheticGoToLevel : IRolloutEnvironment
{
    public const string Name = "synthetic_goto_red_ball_grey";
    public const string MissionText = "go to the red ball";
    private const int Size = 8;
    private const byte Empty = 1, Wall = 2, Key = 5, Ball = 6, Box = 7;
    private const byte Red = 0, Grey = 5;
    private static readonly (int Dx, int Dy)[] Dirs = [(1, 0), (0, 1), (-1, 0), (0, -1)]; // east, south, west, north

    private readonly (byte Obj, byte Colour)[,] _cells = new (byte, byte)[Size, Size];
    private int _x, _y, _dir, _steps;
    private bool _done;

    public int MaxSteps => 64;

    public RolloutObservation Reset(long seed)
    {
        var rng = new Runtime.Rng((ulong)seed);
        while (true)
        {
            for (int x = 0; x < Size; x++)
            for (int y = 0; y < Size; y++)
                _cells[x, y] = x == 0 || y == 0 || x == Size - 1 || y == Size - 1 ? (Wall, Grey) : (Empty, Red);
            var free = new List<(int, int)>();
            for (int x = 1; x < Size - 1; x++) for (int y = 1; y < Size - 1; y++) free.Add((x, y));
            rng.Shuffle(free);
            _cells[free[0].Item1, free[0].Item2] = (Ball, Red);
            byte[] distractors = [Key, Box, Ball];
            for (int i = 0; i < 3; i++) _cells[free[1 + i].Item1, free[1 + i].Item2] = (distractors[rng.NextInt(3)], Grey);
            (_x, _y) = free[4];
            _dir = rng.NextInt(4);
            _steps = 0;
            _done = false;
            if (!FacingBall()) return Observe();
        }
    }

    public (RolloutObservation Observation, bool Done, bool Success) Step(int action)
    {
        if (_done) throw new InvalidOperationException("episode is over; call Reset");
        _steps++;
        switch (action)
        {
            case 0: _dir = (_dir + 3) % 4; break;
            case 1: _dir = (_dir + 1) % 4; break;
            case 2:
                var (fx, fy) = (_x + Dirs[_dir].Dx, _y + Dirs[_dir].Dy);
                if (_cells[fx, fy].Obj == Empty) (_x, _y) = (fx, fy);
                break;
        }
        bool success = FacingBall();
        _done = success || action == 6 || _steps >= MaxSteps;
        return (Observe(), _done, success);
    }

    /// <summary>Shortest action sequence (left/right/forward) from the current state to facing the red ball.</summary>
    public List<int> ExpertPlan()
    {
        var start = (_x, _y, _dir);
        var previous = new Dictionary<(int, int, int), ((int, int, int) From, int Action)>();
        var queue = new Queue<(int X, int Y, int D)>([start]);
        var seen = new HashSet<(int, int, int)> { start };
        while (queue.Count > 0)
        {
            var s = queue.Dequeue();
            var (fx, fy) = (s.X + Dirs[s.D].Dx, s.Y + Dirs[s.D].Dy);
            if (_cells[fx, fy] == (Ball, Red))
            {
                var plan = new List<int>();
                for (var c = s; c != start; c = previous[c].From) plan.Add(previous[c].Action);
                plan.Reverse();
                return plan;
            }
            (int, int, int)[] next = [(s.X, s.Y, (s.D + 3) % 4), (s.X, s.Y, (s.D + 1) % 4),
                _cells[fx, fy].Obj == Empty ? (fx, fy, s.D) : s];
            for (int a = 0; a < 3; a++)
                if (seen.Add(next[a])) { previous[next[a]] = (s, a); queue.Enqueue(next[a]); }
        }
        throw new InvalidOperationException("red ball unreachable");
    }

    private bool FacingBall() => _cells[_x + Dirs[_dir].Dx, _y + Dirs[_dir].Dy] == (Ball, Red);

    private RolloutObservation Observe()
    {
        var grid = new byte[Models.AgentObs.GridBytes];
        var (fdx, fdy) = Dirs[_dir];
        var (rdx, rdy) = (-fdy, fdx); // the agent's right
        for (int row = 0; row < 7; row++)
        for (int col = 0; col < 7; col++)
        {
            int forward = 6 - row, right = col - 3;
            int x = _x + forward * fdx + right * rdx, y = _y + forward * fdy + right * rdy;
            int o = (row * 7 + col) * 3;
            if (x < 0 || y < 0 || x >= Size || y >= Size) continue; // unseen: (0, 0, 0)
            (grid[o], grid[o + 1]) = _cells[x, y];
        }
        return new RolloutObservation(grid, _dir, MissionText);
    }

    /// <summary>Expert demonstrations: episode i uses seed <paramref name="seed"/> · 1_000_003 + i.</summary>
    public static List<DemoEpisode> Generate(int count, long seed)
    {
        var env = new SyntheticGoToLevel();
        var episodes = new List<DemoEpisode>(count);
        for (int i = 0; i < count; i++)
        {
            long episodeSeed = seed * 1_000_003 + i;
            var obs = env.Reset(episodeSeed);
            var steps = new List<DemoStep>();
            foreach (int action in env.ExpertPlan())
            {
                var (next, done, _) = env.Step(action);
                steps.Add(new DemoStep(steps.Count, obs.Direction, obs.Grid, action, done ? 1f - 0.9f * steps.Count / env.MaxSteps : 0f, done));
                obs = next;
            }
            episodes.Add(new DemoEpisode(i, Name, episodeSeed, MissionText, [.. steps]));
        }
        return episodes;
    }
}
