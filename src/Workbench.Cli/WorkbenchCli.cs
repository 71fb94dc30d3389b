namespace Workbench.Cli;

/// <summary>Entry point shared by Program and the tests: parse, run one library call, map errors to exit codes.</summary>
public static class WorkbenchCli
{
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        bool verbose = args.Contains(CommandLine.VerboseFlag);
        try
        {
            var parsed = CommandLine.Parse(CommandCatalog.All, args, output);
            return parsed is null ? ExitCodes.Ok : parsed.Command.Run(parsed);
        }
        catch (Exception e) when (UserFacing(e) is { } message)
        {
            error.WriteLine($"error: {message}");
            if (verbose) error.WriteLine(e);
            return ExitCodes.UserError;
        }
        catch (Exception e)
        {
            // Native (libtorch) messages carry a multi-line C++ backtrace: show the first line unless --verbose.
            string message = verbose ? e.Message : e.Message.Split('\n', 2)[0].TrimEnd();
            error.WriteLine($"internal error: {e.GetType().Name}: {message}");
            error.WriteLine(verbose ? e.ToString() : "(run again with --verbose for the stack trace)");
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
