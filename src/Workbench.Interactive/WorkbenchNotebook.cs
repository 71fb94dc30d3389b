using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using TorchSharp;
using Workbench.Runtime;

namespace Workbench.Interactive;

/// <summary>
/// What <see cref="WorkbenchNotebook.Start"/> set up: the repository the notebook belongs to, where the library
/// and its native libraries were loaded from, and the namespaces imported into the notebook.
/// </summary>
public sealed record WorkbenchSession(string Root, string BuildFolder, string NativeFolder, string TorchVersion,
    string? TorchNative, IReadOnlyList<string> Usings)
{
    /// <summary>A progress writer shown in the current cell (see <see cref="NotebookProgress"/>).</summary>
    public NotebookProgress Progress(string label = "") => new(label);

    public override string ToString() =>
        $"Workbench ready: repository {Root}; library {BuildFolder}; libtorch {TorchVersion} through {TorchNative ?? "(path not reported)"}; " +
        $"imported {string.Join(", ", Usings)}";
}

/// <summary>
/// The one call a notebook makes after referencing the build output:
/// <code>
/// #r "../src/Workbench.Interactive/bin/Debug/net10.0/Workbench.Interactive.dll"
/// var workbench = Workbench.Interactive.WorkbenchNotebook.Start();
/// </code>
/// It (1) lets TorchSharp, SkiaSharp and the other native libraries load from the build output (the copy the build
/// patched for older libstdc++, see <see cref="NativeLibraries"/>) and loads libtorch right away, so a broken setup
/// fails in the first cell with the reason instead of at the first tensor; (2) registers the formatters
/// (<see cref="NotebookFormatters"/>); (3) imports the namespaces notebooks use (System.IO, Microsoft.Data.Analysis and
/// the workbench's), as a project's implicit usings would. Calling it again is harmless.
/// </summary>
public static class WorkbenchNotebook
{
    /// <summary>Namespaces of other libraries every notebook gets.</summary>
    public static readonly IReadOnlyList<string> SystemNamespaces = ["System.IO", "Microsoft.Data.Analysis"];

    /// <summary>Workbench namespaces imported when the loaded library has them (one that moved is skipped, not an error).</summary>
    public static readonly IReadOnlyList<string> WorkbenchNamespaces =
    [
        "Workbench", "Workbench.Interactive", "Workbench.Runtime", "Workbench.Config", "Workbench.Envs", "Workbench.Data",
        "Workbench.Rollouts", "Workbench.Training", "Workbench.Evals", "Workbench.Evals.Runner", "Workbench.Reporting",
        "Workbench.Workflows",
    ];

    private const string TorchSharpNative = "libLibTorchSharp.so";

    public static WorkbenchSession Start()
    {
        NativeLibraries.Register([typeof(torch).Assembly, typeof(SkiaSharp.SKBitmap).Assembly, typeof(NativeLibraries).Assembly]);
        LoadTorch();
        NotebookFormatters.Register();
        var usings = ImportNamespaces();
        // From the build output, not the working directory: the kernel may have been started anywhere.
        var session = new WorkbenchSession(Workspace.FindRoot(NativeLibraries.BuildFolder), NativeLibraries.BuildFolder,
            NativeLibraries.NativeFolder, torch.__version__, NativeLibraries.LoadedPath(TorchSharpNative), usings);
        if (KernelInvocationContext.Current is { } context) KernelInvocationContextExtensions.Display(context, session.ToString(), "text/plain");
        return session;
    }

    private static void LoadTorch()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"TorchSharp's native libraries did not load from {NativeLibraries.NativeFolder}. Rebuild with `dotnet build Workbench.sln` " +
                $"(the build makes libLibTorchSharp.so loadable on older libstdc++). {e.GetBaseException().Message}", e);
        }
    }

    /// <summary>
    /// Sends the using directives to the C# kernel as a deferred submission: it runs right after the current cell,
    /// so every later cell sees the namespaces. (A nested submission inside the running cell would be lost when the
    /// cell's own script state is committed.)
    /// </summary>
    private static IReadOnlyList<string> ImportNamespaces()
    {
        var available = new[] { typeof(UserError).Assembly, typeof(WorkbenchNotebook).Assembly }
            .SelectMany(a => a.GetExportedTypes()).Select(t => t.Namespace).OfType<string>().ToHashSet();
        var usings = SystemNamespaces.Concat(WorkbenchNamespaces.Where(available.Contains)).ToList();
        if (Kernel.Current is { } kernel)
            kernel.DeferCommand(new SubmitCode(string.Concat(usings.Select(n => $"using {n};\n"))));
        return usings;
    }
}
