using Workbench.Cli;

namespace Workbench.Tests.Cli;

/// <summary>One in-process run of <c>workbench</c>: its exit code and everything it printed, as a user would see it.</summary>
public sealed record CliRun(int Code, string Out, string Err)
{
    public static CliRun Of(params string[] args) => WithInput("", args);

    /// <summary>
    /// A run that reads <paramref name="input"/> as its standard input (env play's keys). Paths inside configs resolve
    /// against the repository root, where users run the CLI (the test's working directory is its bin folder).
    /// </summary>
    public static CliRun WithInput(string input, params string[] args)
    {
        using var _ = Workbench.Config.ConfigPaths.RelativeTo(RepoRoot.Path);
        var output = new StringWriter();
        var error = new StringWriter();
        int code = WorkbenchCli.Run(args, new CliContext(output, error, new StringReader(input)));
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>The exit code, with what was printed as the message when it is not the expected one.</summary>
    public CliRun Expect(int code)
    {
        Assert.True(Code == code, $"exit {Code}, expected {code}\nstdout:\n{Out}\nstderr:\n{Err}");
        return this;
    }
}
