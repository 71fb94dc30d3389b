using Workbench.Envs;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench env show LEVEL --seed N --out file.png</c>: the start of an episode as a picture and as text.</summary>
public sealed class EnvShowCommand : ICommand
{
    public string Name => "env show";
    public string Summary => "Render the start of a level's episode to PNG (and print it as text)";
    public IReadOnlyList<ArgumentSpec> Arguments => [new("level", "level name (see 'workbench env levels')")];
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("seed", "episode seed", Default: "0", ValueName: "N"),
        new("out", "PNG file to write (default: <level>-seed<N>.png)", ValueName: "FILE"),
        new("tile", "pixels per grid cell", Default: "16", ValueName: "PX"),
        new("view", "full (top-down, with the mission) or agent (the agent's egocentric 7×7 view)", Default: "full", ValueName: "full|agent"),
    ];

    public int Run(ParsedArgs args)
    {
        string level = args.Argument("level");
        long seed = args.Long("seed", 0);
        int tile = args.Int("tile", 16);
        if (tile is < 4 or > 128) throw new UserError($"env show: --tile must be 4..128, got {tile}");
        string view = args.Option("view") ?? "full";
        if (view is not ("full" or "agent")) throw new UserError($"env show: --view must be full or agent, got '{view}'");
        string output = args.Option("out") ?? $"{level}-seed{seed}.png";

        var env = EnvLevelsCommand.CreateLevel(level);
        env.Reset(seed);
        if (view == "full") EnvRendering.SaveFullPng(env, output, tile);
        else EnvRendering.SaveEgocentricPng(env, output, tile);
        Console.Out.Write(EnvRendering.ToText(env));
        Console.Out.WriteLine($"wrote {output}");
        return ExitCodes.Ok;
    }
}
