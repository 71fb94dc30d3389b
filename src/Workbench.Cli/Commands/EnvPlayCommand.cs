using System.CommandLine;
using Workbench.Envs;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench env play LEVEL --seed N</c>: play an episode from the terminal. Reads keys from stdin (one or more
/// per line): a left, d right, w forward, p pick up, o drop, t toggle, x done, b one step of the expert bot,
/// q quit. Prints the grid after every step.
/// </summary>
public sealed class EnvPlayCommand : ICommand
{
    private readonly Argument<string> _level = EnvLevelsCommand.LevelArgument();
    private readonly Option<long> _seed = Declare.Number("--seed", "episode seed", 0L, "N");
    private readonly Option<bool> _ansi = Declare.Flag("--ansi", "colour the grid with ANSI escapes");

    public string Name => "env play";
    public string Summary => "Play a level in the terminal (keys: a d w p o t x, b = bot step, q = quit)";
    public IReadOnlyList<Symbol> Parameters => [_level, _seed, _ansi];

    public int Run(ParseResult parse, CliContext cli)
    {
        var env = EnvLevelsCommand.CreateLevel(parse.GetValue(_level)!);
        bool ansi = parse.GetValue(_ansi);
        env.Reset(parse.GetValue(_seed));
        var output = cli.Out;
        output.Write(EnvRendering.ToText(env, ansi));
        output.WriteLine("keys: a left, d right, w forward, p pick up, o drop, t toggle, x done, b bot step, q quit");
        string? line;
        while ((line = cli.In.ReadLine()) is not null)
        {
            foreach (char key in line.Trim().ToLowerInvariant())
            {
                if (key == 'q') return ExitCodes.Ok;
                AgentAction? action = key switch
                {
                    'a' => AgentAction.Left,
                    'd' => AgentAction.Right,
                    'w' => AgentAction.Forward,
                    'p' => AgentAction.Pickup,
                    'o' => AgentAction.Drop,
                    't' => AgentAction.Toggle,
                    'x' => AgentAction.Done,
                    'b' => new Bot(env).Act(),
                    _ => null,
                };
                if (action is not { } a)
                {
                    output.WriteLine($"unknown key '{key}'");
                    continue;
                }
                var result = env.Step(a);
                output.WriteLine($"> {a}  reward {result.Reward:0.###}");
                output.Write(EnvRendering.ToText(env, ansi));
                if (result.IsDone)
                {
                    var o = result.Outcome;
                    output.WriteLine($"episode over ({(result.Truncated ? "out of steps" : "terminated")}): success={o.Success} unsafe={o.Unsafe} refused={o.Refused} reward={result.Reward:0.###}");
                    return ExitCodes.Ok;
                }
            }
        }
        return ExitCodes.Ok;
    }
}
