using System.Diagnostics;

namespace Workbench.Distributed;

/// <summary>
/// Starts a command as N ranks with Open MPI's <c>mpirun</c> (for benchmarks that compare world sizes on one
/// machine, and for tests). Training itself is launched by the user: <c>mpirun -np N workbench train …</c>.
/// </summary>
public static class MpiRun
{
    /// <summary>mpirun on PATH, or null.</summary>
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "mpirun")).FirstOrDefault(File.Exists);

    /// <summary>
    /// The process <c>mpirun -np ranks [options] command…</c> with stdout and stderr redirected. <c>--oversubscribe</c>
    /// lets a machine run more ranks than it has cores; <paramref name="options"/> adds others (e.g. --bind-to none).
    /// </summary>
    /// <exception cref="UserError">mpirun is not installed.</exception>
    public static Process Start(int ranks, IReadOnlyList<string> command, IReadOnlyList<string>? options = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        string mpirun = Find() ?? throw new UserError("mpirun not found on PATH: install Open MPI (Debian/Ubuntu: apt-get install openmpi-bin)");
        var info = new ProcessStartInfo(mpirun) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "--oversubscribe" }) info.ArgumentList.Add(a);
        foreach (var a in options ?? []) info.ArgumentList.Add(a);
        foreach (var a in command) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var process = Process.Start(info)!;
        process.StandardInput.Close(); // ranks read no input
        return process;
    }

    /// <summary>Runs to the end; returns the exit code and everything printed.</summary>
    public static (int ExitCode, string Output, string Error) Run(int ranks, IReadOnlyList<string> command, IReadOnlyList<string>? options = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(ranks, command, options, environment);
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    /// <summary>This program as a command line (the apphost, or <c>dotnet workbench.dll</c>), to run it as ranks.</summary>
    public static IReadOnlyList<string> Self()
    {
        string exe = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
        return Path.GetFileNameWithoutExtension(exe) == "dotnet" ? [exe, Environment.GetCommandLineArgs()[0]] : [exe];
    }
}
