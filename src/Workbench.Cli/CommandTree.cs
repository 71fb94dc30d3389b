using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Workbench.Cli;

/// <summary>
/// The System.CommandLine tree made from <see cref="CommandCatalog"/>, once per process: a leaf per catalog command
/// (its words become nested commands, so "data build" is <c>build</c> under a <c>data</c> group), the global
/// <c>--verbose</c>, and help on every group. Parsing only reads the tree, so tests may parse in parallel.
/// </summary>
internal static class CommandTree
{
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "show stack traces and debug detail on errors", Recursive = true };

    private static readonly Dictionary<Command, string> Names = [];
    public static readonly RootCommand Root = Build();

    // No @file response files: an argument starting with @ is an argument (the old parser had none either).
    private static readonly ParserConfiguration Configuration = new() { ResponseFileTokenReplacer = null };

    public static ParseResult Parse(IReadOnlyList<string> args) => Root.Parse(args, Configuration);

    /// <summary>The catalog name of a command or group ("data build", "data"); empty for the root.</summary>
    public static string NameOf(Command command) => Names.GetValueOrDefault(command, "");

    private static RootCommand Build()
    {
        var root = new RootCommand(WorkbenchHelp.Description) { Verbose };
        foreach (var entry in CommandCatalog.All)
        {
            string[] words = entry.Name.Split(' ');
            Command command = root;
            for (int i = 0; i < words.Length; i++) command = Child(command, words[i], string.Join(' ', words[..(i + 1)]));
            if (command.Action is CatalogAction) throw new InvalidOperationException($"two catalog entries are named '{entry.Name}'");
            command.Description = entry.Summary;
            foreach (var parameter in entry.Parameters)
            {
                switch (parameter)
                {
                    case Argument argument: command.Arguments.Add(argument); break;
                    case Option option: command.Options.Add(option); break;
                    default: throw new InvalidOperationException($"{entry.Name}: parameter {parameter.Name} is neither an argument nor an option");
                }
            }
            command.Action = new CatalogAction(entry);
        }

        // Help for the recursive --help, the bare root and bare groups such as `workbench data`.
        var helpOption = root.Options.OfType<HelpOption>().Single();
        var generated = (HelpAction)helpOption.Action!;
        helpOption.Action = new WorkbenchHelp(generated, root, forHelpOption: true);
        var help = new WorkbenchHelp(generated, root, forHelpOption: false);
        root.Action = help;
        foreach (var group in Names.Keys.Where(c => c.Action is null)) group.Action = help;
        return root;
    }

    private static Command Child(Command parent, string word, string fullName)
    {
        if (parent.Subcommands.FirstOrDefault(c => c.Name == word) is { } existing) return existing;
        var child = new Command(word, $"the {fullName} commands");
        parent.Subcommands.Add(child);
        Names[child] = fullName;
        return child;
    }
}

/// <summary>
/// The action System.CommandLine selects for a catalog command. <see cref="WorkbenchCli.Run(string[], CliContext)"/> runs
/// <see cref="Command"/> itself, so the command gets the caller's writers.
/// </summary>
internal sealed class CatalogAction(ICommand command) : SynchronousCommandLineAction
{
    public ICommand Command { get; } = command;

    public override int Invoke(ParseResult parseResult) =>
        throw new InvalidOperationException($"'{Command.Name}' runs through WorkbenchCli.Run, which passes its writers");
}
