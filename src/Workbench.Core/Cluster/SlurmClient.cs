using System.Diagnostics;

namespace Workbench.Cluster;

/// <summary>
/// The few Slurm commands Workbench calls: <c>sbatch --parsable</c> to submit, <c>sacct</c> (or <c>scontrol show job</c>
/// where the cluster keeps no accounting database) to read job states. A missing command is a <see cref="UserError"/>
/// that says what to install.
/// </summary>
public sealed class SlurmClient(string? searchPath = null)
{
    public const string InstallHint =
        "run this on a login node of your Slurm cluster, or install the Slurm client commands (Debian/Ubuntu: apt-get install slurm-client; " +
        "a one-machine cluster to try it on: sudo .ci/slurm/start.sh)";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly string _searchPath = searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "";

    /// <summary>Throws the error that says what to install when sbatch is not on PATH (call it before writing anything).</summary>
    public void RequireSbatch()
    {
        if (Find("sbatch") is null) throw Missing("sbatch");
    }

    /// <summary>Submits a script; returns the job id. <paramref name="afterOk"/>: start only once that job (every task of it) succeeded.</summary>
    public string Submit(string script, string? afterOk = null)
    {
        var args = new List<string> { "--parsable" };
        if (afterOk != null)
        {
            args.Add($"--dependency=afterok:{afterOk}");
            args.Add("--kill-on-invalid-dep=yes"); // cancelled, not pending forever, when a task it waits for fails
        }
        args.Add(Path.GetFullPath(script));
        var (code, stdout, stderr) = Run("sbatch", args);
        if (code != 0) throw new UserError($"sbatch {script} failed (exit {code}): {OneLine(stderr)}");
        string id = stdout.Trim().Split(';')[0]; // "123" or "123;cluster"
        if (id.Length == 0 || !id.All(char.IsAsciiDigit)) throw new UserError($"sbatch {script}: expected a job id from --parsable, got '{OneLine(stdout)}'");
        return id;
    }

    /// <summary>Every task of the job with its state; no tasks when Slurm no longer (or not yet) knows the job.</summary>
    public SlurmJobState Query(string jobId)
    {
        if (Find("sacct") != null)
        {
            var (code, stdout, _) = Run("sacct", ["-n", "-P", "-X", "-j", jobId, "-o", "JobID,State,ExitCode"]);
            if (code == 0 && SlurmJobState.FromSacct(jobId, stdout) is { Tasks.Count: > 0 } fromSacct) return fromSacct;
        }
        // No accounting database (sacct: "accounting storage is disabled"): slurmctld still holds jobs for MinJobAge.
        var (scode, sout, serr) = Run("scontrol", ["show", "job", jobId, "-o"]);
        if (scode == 0) return SlurmJobState.FromScontrol(jobId, sout);
        if (serr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase)) return new SlurmJobState(jobId, []);
        throw new UserError($"scontrol show job {jobId} failed (exit {scode}): {OneLine(serr)}");
    }

    /// <summary>Polls until every task of the job has finished (or <paramref name="timeout"/> passes); reports each change of state.</summary>
    public SlurmJobState Wait(string jobId, TimeSpan timeout, Action<SlurmJobState>? progress = null, TimeSpan? poll = null,
        CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        string last = "";
        int unknown = 0;
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            var state = Query(jobId);
            string described = state.Describe();
            if (described != last) progress?.Invoke(state);
            last = described;
            if (state.IsFinished) return state;
            // A job Slurm does not know for several polls in a row has been purged (or never existed): stop waiting.
            unknown = state.Tasks.Count == 0 ? unknown + 1 : 0;
            if (unknown >= 5) return new SlurmJobState(jobId, [new SlurmTask(jobId, "UNKNOWN", "")]);
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"job {jobId} still not finished after {timeout.TotalSeconds:0} s ({described})");
            cancel.WaitHandle.WaitOne(poll ?? TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>Why Slurm cannot be used from here (a missing command, or a controller that does not answer); null when it can.</summary>
    public string? Unavailable()
    {
        foreach (string command in new[] { "sbatch", "scontrol", "sinfo" })
            if (Find(command) is null) return $"{command} not found on PATH";
        try
        {
            var (code, _, stderr) = Run("sinfo", ["-h", "-o", "%a"], TimeSpan.FromSeconds(10));
            return code == 0 ? null : $"sinfo failed (exit {code}): {OneLine(stderr)}";
        }
        catch (Exception e) when (e is UserError or TimeoutException)
        {
            return e.Message;
        }
    }

    private (int Code, string Stdout, string Stderr) Run(string command, IReadOnlyList<string> args, TimeSpan? timeout = null)
    {
        string exe = Find(command) ?? throw Missing(command);
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new UserError($"could not start {exe}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? CommandTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {string.Join(' ', args)} did not answer within {(timeout ?? CommandTimeout).TotalSeconds:0} s");
        }
        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static UserError Missing(string command) =>
        new($"{command} not found on PATH; submitting to Slurm and following the jobs needs Slurm's client commands: {InstallHint}");

    private string? Find(string command) =>
        _searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, command))
            .FirstOrDefault(File.Exists);

    private static string OneLine(string text) => string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
