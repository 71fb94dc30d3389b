using System.Diagnostics;

namespace Workbench.Runtime;

/// <summary>The git commit of the working tree, recorded in runs, model versions and reports.</summary>
public static class GitInfo
{
    /// <summary>The HEAD commit (with "+dirty" when the tree has changes), or "unknown" outside a repository.</summary>
    public static string Commit(string? directory = null)
    {
        string? head = RunGit("rev-parse HEAD", directory);
        if (head is null) return "unknown";
        string? status = RunGit("status --porcelain --untracked-files=no", directory);
        return string.IsNullOrWhiteSpace(status) ? head : head + "+dirty";
    }

    private static string? RunGit(string arguments, string? directory)
    {
        try
        {
            var info = new ProcessStartInfo("git", arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = directory ?? Environment.CurrentDirectory,
            };
            using var process = Process.Start(info);
            if (process is null) return null;
            string output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit(5000);
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // git is not installed
        }
    }
}
