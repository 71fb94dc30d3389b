using System.CommandLine;
using System.CommandLine.Invocation;

namespace Workbench.Cli;

/// <summary>Entry point shared by Program and the tests: parse, run one command, map errors to exit codes.</summary>
public static class WorkbenchCli
{
    public static int Run(string[] args) => Run(args, CliContext.Terminal);

    public static int Run(string[] args, CliContext cli)
    {
        bool verbose = false;
        try
        {
            var parse = CommandTree.Parse(args);
            verbose = parse.GetValue(CommandTree.Verbose);
            switch (parse.Action)
            {
                case CatalogAction run:
                    return run.Command.Run(parse, cli);
                case ParseErrorAction:
                    foreach (string problem in ParseErrors.Describe(parse)) cli.Error.WriteLine($"error: {problem}");
                    return ExitCodes.UserError;
                default: // help, [suggest] completions, --version
                    return parse.Invoke(new InvocationConfiguration
                    {
                        Output = cli.Out, Error = cli.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
                    });
            }
        }
        catch (Exception e) when (UserFacing(e) is { } message)
        {
            cli.Error.WriteLine($"error: {message}");
            if (verbose) cli.Error.WriteLine(e);
            return ExitCodes.UserError;
        }
        catch (Exception e)
        {
            // Native (libtorch) messages carry a multi-line C++ backtrace: show the first line unless --verbose.
            string message = verbose ? e.Message : e.Message.Split('\n', 2)[0].TrimEnd();
            cli.Error.WriteLine($"internal error: {e.GetType().Name}: {message}");
            cli.Error.WriteLine(verbose ? e.ToString() : "(run again with --verbose for the stack trace)");
            return ExitCodes.InternalError;
        }
    }

    // A user's mistake may arrive wrapped (a task, a type initializer); unwrap to show its message.
    internal static string? UserFacing(Exception e)
    {
        for (Exception? x = e; x != null; x = x.InnerException)
        {
            if (x is UserError u) return u.Message;
            if (x is FileNotFoundException or DirectoryNotFoundException) return x.Message;
            if (x is AggregateException { InnerExceptions.Count: 1 } a) return UserFacing(a.InnerExceptions[0]);
        }
        return null;
    }
}
