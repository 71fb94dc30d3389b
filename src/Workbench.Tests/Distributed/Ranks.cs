using System.Diagnostics;
using Workbench.Distributed;

namespace Workbench.Tests.Distributed;

/// <summary>Runs the real <c>workbench</c> executable (built next to the tests) as MPI ranks with mpirun.</summary>
internal static class Ranks
{
    public static string Workbench
    {
        get
        {
            string path = Path.Combine(AppContext.BaseDirectory, "workbench");
            return File.Exists(path) ? path : throw new FileNotFoundException("the workbench executable is not next to the tests", path);
        }
    }

    /// <summary>
    /// Open MPI refuses to start as root unless told (the test machines run as root); a rank waiting in a collective
    /// yields its core instead of spinning, since the tests share a small machine.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Environment = new Dictionary<string, string>
    {
        ["OMPI_ALLOW_RUN_AS_ROOT"] = "1", ["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1", ["OMPI_MCA_mpi_yield_when_idle"] = "1",
    };

    /// <summary><c>mpirun -np ranks -q workbench args…</c> in <paramref name="dir"/>, to the end.</summary>
    public static (int Code, string Output, string Error) Run(int ranks, string dir, params string[] args) =>
        Run(ranks, dir, [], args);

    public static (int Code, string Output, string Error) Run(int ranks, string dir, IReadOnlyList<string> mpirunOptions, params string[] args)
    {
        using var process = Start(ranks, dir, mpirunOptions, args);
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) { process.Kill(entireProcessTree: true); Assert.Fail($"mpirun did not finish: {output}"); }
        return (process.ExitCode, output, error.Result);
    }

    public static Process Start(int ranks, string dir, IReadOnlyList<string> mpirunOptions, params string[] args) =>
        MpiRun.Start(ranks, [Workbench, .. args], ["-q", "--wdir", dir, .. mpirunOptions], Environment);

    /// <summary>SIGKILL every rank of a running mpirun and then mpirun itself (Open MPI puts each rank in its own process group).</summary>
    public static void KillAll(Process mpirun)
    {
        foreach (int child in ChildrenOf(mpirun.Id))
        {
            try { Process.GetProcessById(child).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        }
        mpirun.Kill();
        mpirun.WaitForExit();
    }

    private static IEnumerable<int> ChildrenOf(int parent) =>
        Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsDigit)).Select(int.Parse!)
            .Where(pid => ParentOf(pid) == parent).ToList();

    private static int? ParentOf(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat"); // "pid (comm) state ppid …"; comm may hold spaces
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
