using System.CommandLine;
using Workbench.Envs;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench env show LEVEL --seed N --out file.png</c>: the start of an episode as a picture and as text.</summary>
public sealed class EnvShowCommand : ICommand
{
    /// <summary>What <c>--view</c> draws.</summary>
    public enum View
    {
        /// <summary>Top-down, with the mission.</summary>
        Full,
        /// <summary>The agent's egocentric 7×7 view.</summary>
        Agent,
    }

    private readonly Argument<string> _level = EnvLevelsCommand.LevelArgument();
    private readonly Option<long> _seed = Declare.Number("--seed", "episode seed", 0L, "N");
    private readonly Option<string?> _out = Declare.OptionalText("--out", "PNG file to write (default: <level>-seed<N>.png)", "FILE");
    private readonly Option<int> _tile = Declare.Number("--tile", "pixels per grid cell", 16, "PX");
    private readonly Option<View> _view = Declare.Choice("--view", "full (top-down, with the mission) or agent (the agent's egocentric 7×7 view)", View.Full);

    public string Name => "env show";
    public string Summary => "Render the start of a level's episode to PNG (and print it as text)";
    public IReadOnlyList<Symbol> Parameters => [_level, _seed, _out, _tile, _view];

    public int Run(ParseResult parse, CliContext cli)
    {
        string level = parse.GetValue(_level)!;
        long seed = parse.GetValue(_seed);
        int tile = parse.GetValue(_tile);
        if (tile is < 4 or > 128) throw new UserError($"env show: --tile must be 4..128, got {tile}");
        string output = parse.GetValue(_out) ?? $"{level}-seed{seed}.png";

        var env = EnvLevelsCommand.CreateLevel(level);
        env.Reset(seed);
        if (parse.GetValue(_view) == View.Full) EnvRendering.SaveFullPng(env, output, tile);
        else EnvRendering.SaveEgocentricPng(env, output, tile);
        cli.Out.Write(EnvRendering.ToText(env));
        cli.Out.WriteLine($"wrote {output}");
        return ExitCodes.Ok;
    }
}
