namespace Workbench.Runtime;

/// <summary>Finds the repository root (the folder holding Workbench.sln), so notebooks and tools can use repo-relative paths from any working directory.</summary>
public static class Workspace
{
    public const string SolutionFile = "Workbench.sln";

    /// <summary>Walks up from <paramref name="start"/> (default: the working directory, then the running binary's folder).</summary>
    public static string FindRoot(string? start = null)
    {
        foreach (string origin in start is null ? new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory } : new[] { start })
            for (var dir = new DirectoryInfo(Path.GetFullPath(origin)); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        throw new UserError($"{SolutionFile} not found above {start ?? Directory.GetCurrentDirectory()}; run this from inside the Workbench repository");
    }
}
