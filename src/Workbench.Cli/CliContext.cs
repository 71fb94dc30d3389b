namespace Workbench.Cli;

/// <summary>
/// Where a command writes and reads. <c>workbench</c> passes the process's console; tests pass string writers and
/// assert on what a user would see. Commands never touch <see cref="Console"/> themselves.
/// </summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, TextReader In)
{
    public static CliContext Terminal => new(Console.Out, Console.Error, Console.In);
}
