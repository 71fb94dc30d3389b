namespace Workbench.Tests;

/// <summary>The repository root (the folder holding Workbench.sln), found from the test binary's location.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Workbench.Runtime.Workspace.FindRoot(AppContext.BaseDirectory);
}
