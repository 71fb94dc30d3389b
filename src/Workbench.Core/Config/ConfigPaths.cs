namespace Workbench.Config;

/// <summary>
/// Paths inside configs (data sources, dataset configs, …) are relative to the working directory, as the CLI runs them.
/// Validation resolves them here, so it can check that they exist without running anything; a caller that validates
/// files for another directory (a test of the shipped configs, a notebook) sets that directory for its own async flow.
/// </summary>
public static class ConfigPaths
{
    private static readonly AsyncLocal<string?> Root = new();

    /// <summary>The directory relative config paths are resolved against (default: the working directory).</summary>
    public static string BaseDirectory => Root.Value ?? Directory.GetCurrentDirectory();

    public static string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.Combine(BaseDirectory, path);

    /// <summary>Resolves relative config paths against <paramref name="directory"/> until disposed (this async flow only).</summary>
    public static IDisposable RelativeTo(string directory)
    {
        var previous = Root.Value;
        Root.Value = Path.GetFullPath(directory);
        return new Restore(() => Root.Value = previous);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
