using Workbench.Envs;

namespace Workbench.Tests.Envs;

/// <summary>Small hand-built worlds for exact checks of MiniGrid semantics.</summary>
internal static class HandBuilt
{
    /// <summary>A walled size×size grid; <paramref name="build"/> adds objects; the agent at (x, y) facing dir.</summary>
    public static GridEnv Env(int size, int x, int y, int dir, Action<Grid> build, Instruction? instruction = null, int maxSteps = 100, bool walls = true)
    {
        var env = new GridEnv("hand-built", _ =>
        {
            var grid = new Grid(size, size);
            if (walls) grid.WallRect(0, 0, size, size);
            build(grid);
            return new EpisodeSpec(grid, x, y, dir, instruction ?? new HarmfulInstr("nothing to do"), maxSteps);
        });
        env.Reset(0);
        return env;
    }

    /// <summary>Same as <see cref="Env"/> but the mission is a plain go-to (never harmful).</summary>
    public static GridEnv GoTo(int size, int x, int y, int dir, Action<Grid> build, ObjDesc target, int maxSteps = 100) =>
        Env(size, x, y, dir, build, new GoToInstr(target), maxSteps);
}
