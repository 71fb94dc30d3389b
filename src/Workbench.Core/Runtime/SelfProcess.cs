using System.Diagnostics;

namespace Workbench.Runtime;

/// <summary>Runs this program again as a child process — for measurements that need a fresh process (peak memory).</summary>
public static class SelfProcess
{
    /// <summary>Starts this program with <paramref name="arguments"/> (through the dotnet host when it runs as a .dll),
    /// waits, and returns its standard output.</summary>
    /// <exception cref="InvalidOperationException">the child exits with a non-zero code (its stderr is in the message).</exception>
    public static string Run(IEnumerable<string> arguments)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // `dotnet workbench.dll …`: the first command-line argument is the entry assembly; an apphost runs directly.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") info.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var child = Process.Start(info) ?? throw new InvalidOperationException($"could not start {host}");
        var error = child.StandardError.ReadToEndAsync();
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
            throw new InvalidOperationException($"child process `{string.Join(' ', info.ArgumentList)}` exited with {child.ExitCode}: {error.Result.Trim()}");
        return output;
    }

    /// <summary>A field of /proc/self/status in bytes (VmRSS = resident now, VmHWM = peak resident), or null off Linux.</summary>
    public static long? ProcStatusBytes(string field)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return null;
        foreach (var line in File.ReadLines(status))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
            var parts = line[(field.Length + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * 1024; // "kB"
        }
        return null;
    }

    /// <summary>The machine's 1-minute load average (/proc/loadavg), printed beside benchmark figures; "n/a" off Linux.</summary>
    public static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }
}
