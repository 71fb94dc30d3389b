using Workbench.Config;
using Workbench.Workflows;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench config docs KIND</c>: every key of a config kind with its type, default and meaning.</summary>
public sealed class ConfigDocsCommand : ICommand
{
    public string Name => "config docs";
    public string Summary => "Show every key of a config kind with its type, default and meaning";
    public IReadOnlyList<ArgumentSpec> Arguments => [new("kind", $"one of: {string.Join(", ", ConfigKinds.All.Keys)}")];

    public int Run(ParsedArgs args)
    {
        Console.Out.Write(ConfigKinds.Docs(args.Argument("kind")));
        return ExitCodes.Ok;
    }
}
