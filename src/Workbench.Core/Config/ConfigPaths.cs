namespace Workbench.Config;

/// <summary>
/// Resolves paths that a config names relative to the config file itself (a suite's missions file next to it), like
/// <c>include:</c> does. While <see cref="ConfigLoader"/> binds and validates a file, <see cref="Resolve"/> is relative to
/// that file's folder; outside (configs built in code or from inline YAML) it is relative to the working directory.
/// </summary>
public static class ConfigPaths
{
    private static readonly AsyncLocal<string?> Folder = new();

    /// <summary>Sets the folder of <paramref name="configFile"/> for the binding of that file (restored on dispose).</summary>
    internal static Scope Within(string configFile)
    {
        string? previous = Folder.Value;
        Folder.Value = File.Exists(configFile) ? Path.GetDirectoryName(Path.GetFullPath(configFile)) : previous;
        return new Scope(previous);
    }

    /// <summary>The full path of <paramref name="path"/>: as is when rooted, else under the folder of the config being read.</summary>
    public static string Resolve(string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Folder.Value ?? Directory.GetCurrentDirectory(), path));

    internal readonly struct Scope(string? previous) : IDisposable
    {
        public void Dispose() => Folder.Value = previous;
    }
}
