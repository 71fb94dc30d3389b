using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using Workbench.Config;

namespace Workbench.Cli;

/// <summary>
/// Typed arguments and options with the house conventions: numbers in the invariant culture, enum values in lower
/// case, values parsed by the library's own parsers, and parse errors that name the option and say what was expected
/// (they exit 2 like any user error). Commands keep what these return in fields and read it with
/// <c>parse.GetValue(field)</c>; nothing is looked up by name.
/// </summary>
public static class Declare
{
    // HelpName keeps help at <name> when the argument has completions (help would otherwise list them all).
    public static Argument<string> Argument(string name, string description) => new(name) { Description = description, HelpName = name };

    /// <summary>A positional that may be left out (help shows the default).</summary>
    public static Argument<string> Argument(string name, string description, string defaultValue) =>
        new(name) { Description = description, HelpName = name, Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => defaultValue };

    /// <summary>One or more positionals (the command's last argument).</summary>
    public static Argument<string[]> Arguments(string name, string description) =>
        new(name) { Description = description, HelpName = name, Arity = ArgumentArity.OneOrMore };

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    public static Option<string> Text(string name, string description, string defaultValue, string helpName) =>
        new(name) { Description = description, HelpName = helpName, DefaultValueFactory = _ => defaultValue };

    /// <summary>A text option that is null when not given.</summary>
    public static Option<string?> OptionalText(string name, string description, string helpName) =>
        new(name) { Description = description, HelpName = helpName };

    /// <summary>A text option the user must give (the parser says so, naming it, when it is missing).</summary>
    public static Option<string> RequiredText(string name, string description, string helpName) =>
        new(name) { Description = description, HelpName = helpName, Required = true };

    /// <summary>An option that may be given several times (<c>--also a --also b</c>); empty when not given.</summary>
    public static Option<string[]> Repeated(string name, string description, string helpName) =>
        new(name) { Description = description, HelpName = helpName, Arity = ArgumentArity.OneOrMore, DefaultValueFactory = _ => [] };

    /// <summary><c>--set KEY=VALUE</c>, repeatable; an assignment without a key is refused while parsing.</summary>
    public static Option<string[]> Overrides(string description)
    {
        var option = Repeated("--set", description, "KEY=VALUE");
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                try { ConfigDocument.SplitOverride(token.Value); }
                catch (UserError e) { result.AddError(e.Message); }
            }
        });
        return option;
    }

    /// <summary>A number with a default (shown in help).</summary>
    public static Option<T> Number<T>(string name, string description, T defaultValue, string helpName) where T : struct, INumber<T> =>
        new(name) { Description = description, HelpName = helpName, DefaultValueFactory = _ => defaultValue, CustomParser = r => ParseNumber<T>(r, name) };

    /// <summary>A number that is null when not given.</summary>
    public static Option<T?> OptionalNumber<T>(string name, string description, string helpName) where T : struct, INumber<T> =>
        new(name) { Description = description, HelpName = helpName, CustomParser = r => ParseNumber<T>(r, name) };

    /// <summary>
    /// One of an enum's members, offered in lower case (kebab-case for several words) by help and completion; input is
    /// matched ignoring case (help prints the default as the member's name, e.g. <c>Full</c>).
    /// </summary>
    public static Option<T> Choice<T>(string name, string description, T defaultValue) where T : struct, Enum
    {
        var byName = Enum.GetValues<T>().ToDictionary(v => Spelling(v), v => v, StringComparer.OrdinalIgnoreCase);
        var option = new Option<T>(name)
        {
            Description = description, HelpName = string.Join('|', byName.Keys), DefaultValueFactory = _ => defaultValue,
            CustomParser = r => byName.TryGetValue(Last(r), out var value) ? value
                : Refuse<T>(r, $"{name} must be {Alternatives(byName.Keys)}, got '{Last(r)}'"),
        };
        option.CompletionSources.Clear();
        option.CompletionSources.Add([.. byName.Keys]);
        return option;
    }

    /// <summary>A value read by a library parser; its <see cref="UserError"/> becomes a parse error naming the option.</summary>
    public static Option<T> Parsed<T>(string name, string description, string helpName, Func<string, T> parse) =>
        new(name) { Description = description, HelpName = helpName, CustomParser = r => ParseWith(r, name, parse) };

    /// <inheritdoc cref="Parsed{T}(string, string, string, Func{string, T})"/>
    public static Option<T> Parsed<T>(string name, string description, string helpName, Func<string, T> parse, T defaultValue) =>
        new(name) { Description = description, HelpName = helpName, CustomParser = r => ParseWith(r, name, parse), DefaultValueFactory = _ => defaultValue };

    /// <summary>A calendar day written YYYY-MM-DD.</summary>
    public static DateOnly Day(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day : throw new UserError($"expects YYYY-MM-DD, got '{text}'");

    /// <summary>Tab completion offers these values (computed when asked, so registries load only then).</summary>
    public static TSymbol Suggesting<TSymbol>(this TSymbol symbol, Func<IEnumerable<string>> values) where TSymbol : Symbol
    {
        var sources = symbol switch
        {
            Argument a => a.CompletionSources,
            Option o => o.CompletionSources,
            _ => throw new ArgumentException($"{symbol.Name} is neither an argument nor an option"),
        };
        sources.Add(_ => values());
        return symbol;
    }

    /// <summary>Whether the user gave the option (rather than it taking its default).</summary>
    public static bool WasGiven(this ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>How an enum member is written on the command line: <c>HeldOut</c> → <c>held-out</c>.</summary>
    public static string Spelling(Enum value) =>
        string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    private static T ParseNumber<T>(ArgumentResult result, string name) where T : struct, INumber<T>
    {
        bool real = typeof(T) == typeof(double) || typeof(T) == typeof(float);
        string text = Last(result);
        return T.TryParse(text, real ? NumberStyles.Float : NumberStyles.Integer, CultureInfo.InvariantCulture, out T value)
            ? value : Refuse<T>(result, $"{name} expects {(real ? "a number" : "an integer")}, got '{text}'");
    }

    private static T ParseWith<T>(ArgumentResult result, string name, Func<string, T> parse)
    {
        try
        {
            return parse(Last(result));
        }
        catch (UserError e)
        {
            return Refuse<T>(result, e.Message.Contains(name, StringComparison.Ordinal) ? e.Message : $"{name} {e.Message}");
        }
    }

    // The value being parsed (single-value options hold one token: the parser refuses a second occurrence).
    private static string Last(ArgumentResult result) => result.Tokens[^1].Value;

    private static T Refuse<T>(ArgumentResult result, string message)
    {
        result.AddError(message);
        return default!;
    }

    private static string Alternatives(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 1 ? list[0] : string.Join(", ", list[..^1]) + " or " + list[^1];
    }
}
