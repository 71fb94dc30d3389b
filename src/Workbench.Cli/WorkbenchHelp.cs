using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Workbench.Cli;

/// <summary>
/// Help for <c>--help</c>, the bare <c>workbench</c> and bare groups (<c>workbench data</c>): System.CommandLine's
/// generated help for every command and group; for the root, an overview of every catalog command by its full name
/// in catalog order (the generated root help would list only the first words), the exit codes and how to turn on tab
/// completion.
/// </summary>
internal sealed class WorkbenchHelp(HelpAction generated, RootCommand root, bool forHelpOption) : SynchronousCommandLineAction
{
    public const string Description = "workbench — datasets, training, evals and reports for multimodal agent models";

    // Like the generated help, `--help` wins over other mistakes on the line; a bare group with a stray word is an error.
    public override bool ClearsParseErrors => forHelpOption;

    private static readonly Lock Rendering = new();

    public override int Invoke(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        if (command is RootCommand)
        {
            WriteOverview(parseResult.InvocationConfiguration.Output);
            return ExitCodes.Ok;
        }
        // The generated help repeats a parent command's arguments ("eval <suite> merge"), which a subcommand such as
        // `eval merge` does not take: hide them while it renders (Hidden changes help and completion, not parsing).
        lock (Rendering)
        {
            var inherited = command.Parents.OfType<Command>().SelectMany(Ancestry).SelectMany(c => c.Arguments).Where(a => !a.Hidden).ToList();
            foreach (var argument in inherited) argument.Hidden = true;
            try { return generated.Invoke(parseResult); }
            finally { foreach (var argument in inherited) argument.Hidden = false; }
        }
    }

    private static IEnumerable<Command> Ancestry(Command command) => command.Parents.OfType<Command>().SelectMany(Ancestry).Prepend(command);

    private void WriteOverview(TextWriter output)
    {
        output.WriteLine(Description);
        output.WriteLine();
        output.WriteLine("Usage:");
        output.WriteLine("  workbench <command> [arguments] [options]");
        output.WriteLine();
        output.WriteLine("Commands:");
        WriteRows(output, CommandCatalog.All.Select(c => (c.Name, c.Summary)));
        output.WriteLine();
        output.WriteLine("Options:");
        WriteRows(output, root.Options.Select(o => (string.Join(", ", o.Aliases.Order().Append(o.Name)), o.Description ?? "")));
        output.WriteLine();
        output.WriteLine($"Exit codes: {ExitCodes.Ok} ok, {ExitCodes.CheckFailed} a check failed (gate, regression), " +
                         $"{ExitCodes.UserError} user error, {ExitCodes.InternalError} internal error");
        output.WriteLine("Tab completion in bash: source <(workbench completion bash)");
        output.WriteLine("Help on one command: workbench <command> --help");
    }

    private static void WriteRows(TextWriter output, IEnumerable<(string Left, string Right)> rows)
    {
        var list = rows.ToList();
        int width = list.Max(r => r.Left.Length) + 2;
        foreach (var (left, right) in list) output.WriteLine($"  {left.PadRight(width)}{right}");
    }
}
