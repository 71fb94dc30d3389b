using Workbench;
using Workbench.Cli;

// Thin shell over the library: parse, run one library call, map errors to exit codes.
bool verbose = args.Contains(CommandLine.VerboseFlag);
try
{
    var parsed = CommandLine.Parse(CommandCatalog.All, args, Console.Out);
    return parsed is null ? 0 : parsed.Command.Run(parsed);
}
catch (Exception e) when (UserFacing(e) is { } message)
{
    Console.Error.WriteLine($"error: {message}");
    if (verbose) Console.Error.WriteLine(e);
    return ExitCodes.UserError;
}
catch (Exception e)
{
    Console.Error.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
    Console.Error.WriteLine(verbose ? e.ToString() : "(run again with --verbose for the stack trace)");
    return ExitCodes.InternalError;
}

// A user's mistake may arrive wrapped (a task, a type initializer); unwrap to show its message.
static string? UserFacing(Exception e)
{
    for (Exception? x = e; x != null; x = x.InnerException)
    {
        if (x is UserError u) return u.Message;
        if (x is FileNotFoundException or DirectoryNotFoundException) return x.Message;
        if (x is AggregateException { InnerExceptions.Count: 1 } a) return UserFacing(a.InnerExceptions[0]);
    }
    return null;
}
