using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Workbench.Interactive;

/// <summary>
/// Lets the workbench's native dependencies load inside a notebook kernel.
///
/// A console app finds TorchSharp's <c>libLibTorchSharp.so</c> (and libtorch, SkiaSharp, HarfBuzzSharp) through its
/// <c>deps.json</c>. A kernel is a different app: it references our DLLs by path and probes only its own folders and
/// the DLL's folder, never <c>runtimes/&lt;rid&gt;/native/</c>. TorchSharp then falls back to copying natives out of the
/// NuGet cache — the unpatched <c>libLibTorchSharp.so</c>, which needs GLIBCXX_3.4.32 and fails on Debian 12 — and
/// finally throws "doesn't contain a reference to libtorch-cpu-linux-x64" (dotnet/TorchSharp#169).
///
/// So this resolver answers the runtime's "not found" for any native library by looking in this build output's
/// <c>runtimes/&lt;rid&gt;/native/</c> folder, where the build placed the patched copy (Directory.Build.targets).
/// Loading by full path lets each library find its neighbours through its own <c>$ORIGIN</c> run path.
/// </summary>
internal static class NativeLibraries
{
    private static readonly object Gate = new();
    private static readonly HashSet<AssemblyLoadContext> Hooked = [];

    /// <summary>This assembly's build output (where the notebook's <c>#r</c> pointed).</summary>
    public static string BuildFolder { get; } = Path.GetDirectoryName(typeof(NativeLibraries).Assembly.Location)
        ?? throw new InvalidOperationException("Workbench.Interactive was loaded from memory, not from its build output");

    /// <summary>The folder of this platform's native libraries inside the build output.</summary>
    public static string NativeFolder { get; } = Path.Combine(BuildFolder, "runtimes", RuntimeIdentifier(), "native");

    /// <summary>
    /// Hooks the load contexts that hold the assemblies with native dependencies. A kernel may load referenced
    /// assemblies into a context of its own, so the default context alone is not enough.
    /// </summary>
    public static void Register(IEnumerable<Assembly> assembliesWithNatives)
    {
        if (!Directory.Exists(NativeFolder))
            throw new InvalidOperationException(
                $"{NativeFolder} does not exist: the build output of Workbench.Interactive is incomplete. Build it with `dotnet build Workbench.sln`.");
        lock (Gate)
        {
            var contexts = assembliesWithNatives.Select(AssemblyLoadContext.GetLoadContext).OfType<AssemblyLoadContext>()
                .Append(AssemblyLoadContext.Default);
            foreach (var context in contexts.Where(Hooked.Add))
                context.ResolvingUnmanagedDll += Resolve;
        }
    }

    /// <summary>
    /// Where the process actually mapped a native library from (Linux: <c>/proc/self/maps</c>), or null when it is not
    /// loaded or the platform does not say. Shows that the patched copy, not the NuGet cache's, is in use.
    /// </summary>
    public static string? LoadedPath(string fileName)
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return null;
        return File.ReadLines(maps).Select(line => line.IndexOf('/') is int slash and >= 0 ? line[slash..] : null)
            .FirstOrDefault(path => path is not null && Path.GetFileName(path) == fileName);
    }

    private static IntPtr Resolve(Assembly requester, string name)
    {
        foreach (string file in FileNames(name))
        {
            string path = Path.Combine(NativeFolder, file);
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out var handle)) return handle;
        }
        return IntPtr.Zero;
    }

    /// <summary>The file names a DllImport name may have on this platform ("LibTorchSharp" → "libLibTorchSharp.so", …).</summary>
    private static IEnumerable<string> FileNames(string name)
    {
        yield return name;
        if (OperatingSystem.IsWindows()) { yield return name + ".dll"; yield break; }
        string suffix = OperatingSystem.IsMacOS() ? ".dylib" : ".so";
        string bare = Path.GetFileName(name);
        yield return bare + suffix;
        if (!bare.StartsWith("lib", StringComparison.Ordinal)) yield return "lib" + bare + suffix;
    }

    /// <summary>The RID whose native folder NuGet copied into the output (portable: linux-x64, osx-arm64, win-x64, …).</summary>
    private static string RuntimeIdentifier()
    {
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        return $"{os}-{arch}";
    }
}
