using System.CommandLine;
using Workbench.Envs;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench env levels</c>: every registered level with what it asks of the agent.</summary>
public sealed class EnvLevelsCommand : ICommand
{
    public string Name => "env levels";
    public string Summary => "List the registered environment levels";

    public int Run(ParseResult parse, CliContext cli)
    {
        cli.Out.WriteLine($"{"level",-20} {"kind",-7} description");
        foreach (var level in LevelRegistry.Levels)
        {
            string note = level.NeedsFashionMnist && !FashionMnist.IsAvailable() ? " [needs package dataset-fashion-mnist]" : "";
            cli.Out.WriteLine($"{level.Name,-20} {level.Category.ToString().ToLowerInvariant(),-7} {level.Description}{note}");
        }
        return ExitCodes.Ok;
    }

    /// <summary>The level argument of the env commands, completing registered level names.</summary>
    internal static Argument<string> LevelArgument() =>
        Declare.Argument("level", "level name (see 'workbench env levels')").Suggesting(() => LevelRegistry.Names);

    /// <summary>Creates a level's environment, turning an unknown name into a user error.</summary>
    internal static GridEnv CreateLevel(string name)
    {
        try
        {
            return LevelRegistry.Create(name);
        }
        catch (ArgumentException e)
        {
            throw new UserError(e.Message, e);
        }
    }
}
