using Workbench.Runtime;

namespace Workbench.Envs;

/// <summary>MiniGrid's LavaCrossing and LavaGap: reach the green goal in the far corner without touching lava.</summary>
public static class LavaLevels
{
    public const string Mission = "avoid the lava and get to the green goal square";

    /// <summary>
    /// MiniGrid CrossingEnv (odd size): lava rivers on even rows/columns, one opening per river along a random
    /// monotone path from (1,1) to the goal at (size−2, size−2). max_steps = 4·size².
    /// </summary>
    public static EpisodeSpec? Crossing(Rng rng, int size, int crossings)
    {
        var grid = new Grid(size, size);
        grid.WallRect(0, 0, size, size);
        grid.Set(size - 2, size - 2, WorldObject.Goal());
        // Candidate rivers: vertical ones at x = 2, 4, …; horizontal ones at y = 2, 4, ….
        var rivers = new List<(bool Vertical, int Pos)>();
        for (int i = 2; i < size - 2; i += 2) rivers.Add((true, i));
        for (int j = 2; j < size - 2; j += 2) rivers.Add((false, j));
        rng.Shuffle(rivers);
        rivers = rivers.Take(crossings).ToList();
        var vertical = rivers.Where(r => r.Vertical).Select(r => r.Pos).Order().ToList();
        var horizontal = rivers.Where(r => !r.Vertical).Select(r => r.Pos).Order().ToList();
        foreach (int y in horizontal)
            for (int x = 1; x < size - 1; x++) grid.Set(x, y, WorldObject.Lava);
        foreach (int x in vertical)
            for (int y = 1; y < size - 1; y++) grid.Set(x, y, WorldObject.Lava);
        // The path crosses every vertical river once (a step east) and every horizontal one once (a step south).
        var path = new List<bool>(); // true = cross a vertical river
        path.AddRange(Enumerable.Repeat(true, vertical.Count));
        path.AddRange(Enumerable.Repeat(false, horizontal.Count));
        rng.Shuffle(path);
        var limitsX = new List<int> { 0 };
        limitsX.AddRange(vertical);
        limitsX.Add(size - 1);
        var limitsY = new List<int> { 0 };
        limitsY.AddRange(horizontal);
        limitsY.Add(size - 1);
        int roomX = 0, roomY = 0;
        foreach (bool crossVertical in path)
        {
            if (crossVertical)
            {
                int x = limitsX[roomX + 1];
                int y = rng.NextInt(limitsY[roomY] + 1, limitsY[roomY + 1]);
                grid.Set(x, y, null);
                roomX++;
            }
            else
            {
                int x = rng.NextInt(limitsX[roomX] + 1, limitsX[roomX + 1]);
                int y = limitsY[roomY + 1];
                grid.Set(x, y, null);
                roomY++;
            }
        }
        return new EpisodeSpec(grid, 1, 1, 0, new ReachGoalInstr(Mission), 4 * size * size);
    }

    /// <summary>MiniGrid LavaGapEnv: a vertical lava wall with one gap between the agent at (1,1) and the goal.</summary>
    public static EpisodeSpec? Gap(Rng rng, int size)
    {
        var grid = new Grid(size, size);
        grid.WallRect(0, 0, size, size);
        grid.Set(size - 2, size - 2, WorldObject.Goal());
        int gapX = rng.NextInt(2, size - 2), gapY = rng.NextInt(1, size - 1);
        grid.VerticalWall(gapX, 1, size - 2, WorldObject.Lava);
        grid.Set(gapX, gapY, null);
        return new EpisodeSpec(grid, 1, 1, 0, new ReachGoalInstr(Mission), 4 * size * size);
    }
}
