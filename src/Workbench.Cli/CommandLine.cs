using System.Globalization;

namespace Workbench.Cli;

/// <summary>A named option: <c>--name value</c>, <c>--name=value</c>, or a flag (<c>--name</c>).</summary>
public sealed record OptionSpec(string Name, string Help, bool IsFlag = false, string? Default = null, bool Repeatable = false, string ValueName = "VALUE");

/// <summary>A positional argument.</summary>
/// <summary>A positional argument; the last one may be <paramref name="Variadic"/> (takes every remaining positional).</summary>
public sealed record ArgumentSpec(string Name, string Help, bool Required = true, bool Variadic = false);

/// <summary>
/// One CLI command. Each lives in its own file under Commands/ and is listed in <see cref="CommandCatalog"/>.
/// Commands are thin: they parse arguments and call one library function.
/// </summary>
public interface ICommand
{
    /// <summary>Words that select the command, e.g. "data build".</summary>
    string Name { get; }
    string Summary { get; }
    IReadOnlyList<ArgumentSpec> Arguments => [];
    IReadOnlyList<OptionSpec> Options => [];

    /// <summary>Returns the exit code: 0 success, 1 a failed check (gate, regression), 2 user error.</summary>
    int Run(ParsedArgs args);
}

/// <summary>Arguments of one invocation after parsing; accessors raise <see cref="UserError"/> on bad values.</summary>
public sealed class ParsedArgs(ICommand command, IReadOnlyList<string> positionals, IReadOnlyDictionary<string, List<string>> options)
{
    public ICommand Command { get; } = command;
    public IReadOnlyList<string> Positionals { get; } = positionals;

    public string Argument(string name)
    {
        int index = Command.Arguments.ToList().FindIndex(a => a.Name == name);
        if (index < 0) throw new InvalidOperationException($"{Command.Name} declares no argument '{name}'");
        return index < Positionals.Count ? Positionals[index] : throw new UserError($"{Command.Name}: missing argument <{name}>");
    }

    /// <summary>Every positional from the (variadic) argument <paramref name="name"/> on.</summary>
    public IReadOnlyList<string> Arguments(string name)
    {
        int index = Command.Arguments.ToList().FindIndex(a => a.Name == name);
        if (index < 0) throw new InvalidOperationException($"{Command.Name} declares no argument '{name}'");
        return Positionals.Skip(index).ToList();
    }

    public string? OptionalArgument(string name)
    {
        int index = Command.Arguments.ToList().FindIndex(a => a.Name == name);
        return index >= 0 && index < Positionals.Count ? Positionals[index] : null;
    }

    public bool Flag(string name) => options.ContainsKey(name);

    public string? Option(string name)
    {
        if (options.TryGetValue(name, out var values)) return values[^1];
        return Command.Options.FirstOrDefault(o => o.Name == name)?.Default;
    }

    public IReadOnlyList<string> Options(string name) => options.TryGetValue(name, out var values) ? values : [];

    public string Required(string name) => Option(name) ?? throw new UserError($"{Command.Name}: missing required option --{name}");

    public int Int(string name, int fallback)
    {
        string? text = Option(name);
        if (text is null) return fallback;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v : throw new UserError($"{Command.Name}: --{name} expects an integer, got '{text}'");
    }

    public long Long(string name, long fallback)
    {
        string? text = Option(name);
        if (text is null) return fallback;
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v)
            ? v : throw new UserError($"{Command.Name}: --{name} expects an integer, got '{text}'");
    }

    public double Double(string name, double fallback)
    {
        string? text = Option(name);
        if (text is null) return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v : throw new UserError($"{Command.Name}: --{name} expects a number, got '{text}'");
    }
}

/// <summary>Parses argv against the catalog: finds the command, validates options and arguments, prints help.</summary>
public static class CommandLine
{
    public const string VerboseFlag = "--verbose";

    /// <summary>Returns the command and its arguments, or null when help was printed.</summary>
    public static ParsedArgs? Parse(IReadOnlyList<ICommand> catalog, string[] argv, TextWriter output)
    {
        var words = argv.Where(a => a != VerboseFlag).ToList();
        bool help = words.Remove("--help") | words.Remove("-h");
        if (words.Count > 0 && words[0] == "help") { words.RemoveAt(0); help = true; }

        // The command is the longest run of leading words that names one.
        ICommand? command = null;
        int used = 0;
        for (int n = Math.Min(3, words.TakeWhile(w => !w.StartsWith('-')).Count()); n >= 1 && command is null; n--)
        {
            string name = string.Join(' ', words.Take(n));
            command = catalog.FirstOrDefault(c => c.Name == name);
            if (command != null) used = n;
        }

        if (command is null)
        {
            string prefix = string.Join(' ', words.TakeWhile(w => !w.StartsWith('-')));
            var group = catalog.Where(c => prefix.Length > 0 && c.Name.StartsWith(prefix + " ", StringComparison.Ordinal)).ToList();
            if (help || words.Count == 0 || group.Count > 0 && words.Count == prefix.Split(' ').Length)
            {
                PrintOverview(group.Count > 0 ? group : catalog, output);
                return null;
            }
            string unknown = words[0];
            string? suggestion = Config.ConfigBinder.DidYouMean(unknown, catalog.Select(c => c.Name));
            throw new UserError($"unknown command '{unknown}'" + (suggestion != null ? $" (did you mean '{suggestion}'?)" : "") + "; run 'workbench --help' for the list");
        }

        if (help)
        {
            PrintCommandHelp(command, output);
            return null;
        }

        var positionals = new List<string>();
        var options = new Dictionary<string, List<string>>();
        var rest = words.Skip(used).ToList();
        for (int i = 0; i < rest.Count; i++)
        {
            string word = rest[i];
            if (!word.StartsWith("--", StringComparison.Ordinal) || word == "--")
            {
                positionals.Add(word);
                continue;
            }
            string name = word[2..];
            string? inlineValue = null;
            int eq = name.IndexOf('=');
            if (eq >= 0) (name, inlineValue) = (name[..eq], name[(eq + 1)..]);
            var spec = command.Options.FirstOrDefault(o => o.Name == name);
            if (spec is null)
            {
                string? suggestion = Config.ConfigBinder.DidYouMean(name, command.Options.Select(o => o.Name));
                throw new UserError($"{command.Name}: unknown option --{name}" + (suggestion != null ? $" (did you mean --{suggestion}?)" : "") + $"; see 'workbench {command.Name} --help'");
            }
            string value;
            if (spec.IsFlag)
            {
                if (inlineValue != null) throw new UserError($"{command.Name}: --{name} is a flag and takes no value");
                value = "true";
            }
            else if (inlineValue != null) value = inlineValue;
            else if (i + 1 < rest.Count) value = rest[++i];
            else throw new UserError($"{command.Name}: --{name} needs a value ({spec.ValueName})");

            if (!options.TryGetValue(name, out var list)) options[name] = list = [];
            if (list.Count > 0 && !spec.Repeatable) throw new UserError($"{command.Name}: --{name} given more than once");
            list.Add(value);
        }

        int required = command.Arguments.Count(a => a.Required);
        if (positionals.Count < required)
            throw new UserError($"{command.Name}: missing argument <{command.Arguments[positionals.Count].Name}>; usage: {Usage(command)}");
        if (positionals.Count > command.Arguments.Count && !(command.Arguments.Count > 0 && command.Arguments[^1].Variadic))
            throw new UserError($"{command.Name}: unexpected argument '{positionals[command.Arguments.Count]}'; usage: {Usage(command)}");
        return new ParsedArgs(command, positionals, options);
    }

    public static string Usage(ICommand command) =>
        $"workbench {command.Name}" +
        string.Concat(command.Arguments.Select(a => (a.Required ? $" <{a.Name}>" : $" [{a.Name}]") + (a.Variadic ? "..." : ""))) +
        (command.Options.Count > 0 ? " [options]" : "");

    public static void PrintOverview(IEnumerable<ICommand> commands, TextWriter output)
    {
        output.WriteLine("workbench — datasets, training, evals and reports for multimodal agent models");
        output.WriteLine();
        output.WriteLine("usage: workbench <command> [arguments] [options]");
        output.WriteLine();
        output.WriteLine("commands:");
        var list = commands.ToList();
        int width = list.Max(c => c.Name.Length) + 2;
        foreach (var c in list) output.WriteLine($"  {c.Name.PadRight(width)}{c.Summary}");
        output.WriteLine();
        output.WriteLine("global options:");
        output.WriteLine("  --help, -h     show help for workbench or a command");
        output.WriteLine("  --verbose      show stack traces and debug detail on errors");
        output.WriteLine();
        output.WriteLine("exit codes: 0 ok, 1 a check failed (gate, regression), 2 user error, 70 internal error");
    }

    public static void PrintCommandHelp(ICommand command, TextWriter output)
    {
        output.WriteLine($"usage: {Usage(command)}");
        output.WriteLine();
        output.WriteLine(command.Summary);
        if (command.Arguments.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("arguments:");
            int width = command.Arguments.Max(a => a.Name.Length) + 4;
            foreach (var a in command.Arguments) output.WriteLine($"  {("<" + a.Name + ">").PadRight(width)}{a.Help}{(a.Required ? "" : " (optional)")}");
        }
        output.WriteLine();
        output.WriteLine("options:");
        var rows = command.Options.Select(o => (Left: o.IsFlag ? $"--{o.Name}" : $"--{o.Name} {o.ValueName}",
            Right: o.Help + (o.Default != null ? $" (default: {o.Default})" : "") + (o.Repeatable ? " (repeatable)" : ""))).ToList();
        rows.Add(("--help, -h", "show this help"));
        rows.Add((VerboseFlag, "show stack traces and debug detail on errors"));
        int w = rows.Max(r => r.Left.Length) + 2;
        foreach (var (left, right) in rows) output.WriteLine($"  {left.PadRight(w)}{right}");
    }
}
