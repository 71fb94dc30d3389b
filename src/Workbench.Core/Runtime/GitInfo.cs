using System.Diagnostics;

namespace Workbench.Runtime;

/// <summary>The git commit of the code that runs (for run provenance): the repository holding the program, null when git or a repository is not available.</summary>
public static class GitInfo
{
    public static string? Commit(string? workingDirectory = null) => Run("rev-parse HEAD", workingDirectory);

    /// <summary>True when tracked files have uncommitted changes (the commit alone does not describe the code).</summary>
    public static bool? Dirty(string? workingDirectory = null) =>
        Run("status --porcelain --untracked-files=no", workingDirectory) is { } s ? s.Length > 0 : null;

    private static string? Run(string arguments, string? workingDirectory)
    {
        try
        {
            var info = new ProcessStartInfo("git", arguments)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                // By default the repository holding the running program (its build output lies inside it), not the
                // working directory: a job started elsewhere (a Slurm task, another checkout) runs the same code.
                WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            };
            using var p = Process.Start(info);
            if (p is null) return null;
            string output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit(10_000);
            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // git not installed
        }
    }
}
