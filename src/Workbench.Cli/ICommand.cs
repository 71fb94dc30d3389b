using System.CommandLine;

namespace Workbench.Cli;

/// <summary>
/// One CLI command. Each lives in its own file under Commands/ and is listed in <see cref="CommandCatalog"/>.
/// A command declares its typed arguments and options as fields (<see cref="Declare"/>), lists them in
/// <see cref="Parameters"/>, and in <see cref="Run"/> reads them back with <c>parse.GetValue(field)</c> and calls one
/// library function, writing only to <see cref="CliContext"/>.
/// </summary>
public interface ICommand
{
    /// <summary>Words that select the command, e.g. "data build".</summary>
    string Name { get; }
    string Summary { get; }

    /// <summary>The command's <see cref="Argument"/>s and <see cref="Option"/>s, in the order help lists them.</summary>
    IReadOnlyList<Symbol> Parameters => [];

    /// <summary>Returns the exit code: 0 success, 1 a failed check (gate, regression); throws <see cref="UserError"/> for exit 2.</summary>
    int Run(ParseResult parse, CliContext cli);
}
