using System.CommandLine;
using System.CommandLine.Parsing;
using Workbench.Config;

namespace Workbench.Cli;

/// <summary>
/// Parse errors as one clear line each, named for the command: unknown commands and options with a "did you mean",
/// stray arguments with the usage line, missing arguments and options by name, and bad values as the typed options
/// (<see cref="Declare"/>) describe them.
/// </summary>
internal static class ParseErrors
{
    public static IReadOnlyList<string> Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        string name = CommandTree.NameOf(command);
        string prefix = name.Length > 0 ? name + ": " : "";
        var messages = new List<string>();
        foreach (string token in parse.UnmatchedTokens)
        {
            if (token.StartsWith('-'))
            {
                string option = token.Split('=', 2)[0];
                var known = command.Options.Concat(CommandTree.Root.Options.Where(o => o.Recursive)).Select(o => o.Name);
                string? guess = ConfigBinder.DidYouMean(option, known);
                messages.Add($"{prefix}unknown option {option}{(guess != null ? $" (did you mean {guess}?)" : "")}; see '{Join("workbench", name, "--help")}'");
            }
            else if (command.Action is CatalogAction)
                messages.Add($"{prefix}unexpected argument '{token}'; usage: {UsageLine(command)}");
            else
            {
                // A word where a command was expected: the rest of the line depends on it, so this is the only message.
                string words = Join(name, token);
                string? guess = ConfigBinder.DidYouMean(words, CommandCatalog.All.Select(c => c.Name));
                return [$"unknown command '{words}'{(guess != null ? $" (did you mean '{guess}'?)" : "")}; run 'workbench --help' for the list"];
            }
        }

        foreach (var error in parse.Errors)
        {
            messages.Add(error.SymbolResult switch
            {
                CommandResult => null, // unmatched tokens, described above
                ArgumentResult { Parent: CommandResult, Tokens.Count: 0 } missing =>
                    $"{prefix}missing argument {HelpName(missing.Argument)}; usage: {UsageLine(command)}",
                ArgumentResult { Parent: OptionResult owner, Tokens.Count: 0 } =>
                    $"{prefix}{owner.Option.Name} needs a value ({HelpName(owner.Option)})",
                OptionResult { IdentifierToken: null, Option.Required: true } absent => $"{prefix}missing required option {absent.Option.Name}",
                OptionResult { Tokens.Count: 0 } bare when bare.Option.Arity.MinimumNumberOfValues > 0 =>
                    $"{prefix}{bare.Option.Name} needs a value ({HelpName(bare.Option)})",
                _ => prefix + error.Message,
            } ?? "");
        }
        return messages.Where(m => m.Length > 0).Distinct().ToList();
    }

    /// <summary><c>workbench data build &lt;dataset config&gt; [options]</c>.</summary>
    private static string UsageLine(Command command)
    {
        var arguments = command.Arguments.Select(a => a.Arity.MinimumNumberOfValues == 0 ? $"[{HelpName(a)}]"
            : a.Arity.MaximumNumberOfValues > 1 ? HelpName(a) + "..." : HelpName(a));
        return string.Join(' ', ["workbench", CommandTree.NameOf(command), .. arguments, "[options]"]);
    }

    private static string HelpName(Argument argument) => $"<{argument.HelpName ?? argument.Name}>";

    private static string HelpName(Option option) => option.HelpName ?? option.Name.TrimStart('-').ToUpperInvariant();

    private static string Join(params string[] words) => string.Join(' ', words.Where(w => w.Length > 0));
}
