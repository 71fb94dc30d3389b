using System.CommandLine;
using Workbench.Config;
using Workbench.Workflows;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench config docs KIND</c>: every key of a config kind with its type, default and meaning.</summary>
public sealed class ConfigDocsCommand : ICommand
{
    private readonly Argument<string> _kind = Declare.Argument("kind", $"one of: {string.Join(", ", ConfigKinds.All.Keys)}")
        .Suggesting(() => ConfigKinds.All.Keys);

    public string Name => "config docs";
    public string Summary => "Show every key of a config kind with its type, default and meaning";
    public IReadOnlyList<Symbol> Parameters => [_kind];

    public int Run(ParseResult parse, CliContext cli)
    {
        cli.Out.Write(ConfigKinds.Docs(parse.GetValue(_kind)!));
        return ExitCodes.Ok;
    }
}
