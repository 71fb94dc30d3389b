using System.Globalization;

namespace Workbench.Cluster;

/// <summary>One job, or one task of an array, as Slurm reports it (<c>JobState</c> names such as PENDING, COMPLETED).</summary>
public sealed record SlurmTask(string Id, string State, string ExitCode)
{
    /// <summary>States from which a job does not move on by itself (a requeued job goes back to PENDING instead).</summary>
    public static readonly IReadOnlySet<string> Terminal = new HashSet<string>(StringComparer.Ordinal)
    {
        "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "PREEMPTED", "REVOKED", "UNKNOWN",
    };

    public bool IsFinished => Terminal.Contains(State);
    public bool Succeeded => State == "COMPLETED";
}

/// <summary>The tasks of a job (one for a plain job, one per task of an array), with counts a progress line can show.</summary>
public sealed record SlurmJobState(string JobId, IReadOnlyList<SlurmTask> Tasks)
{
    public bool IsFinished => Tasks.Count > 0 && Tasks.All(t => t.IsFinished);
    public bool Succeeded => IsFinished && Tasks.All(t => t.Succeeded);

    public int Count(string state) => Tasks.Count(t => t.State == state);

    /// <summary>"4 tasks: 2 COMPLETED, 1 RUNNING, 1 PENDING".</summary>
    public string Describe() =>
        Tasks.Count == 0 ? $"job {JobId}: not known to Slurm"
        : $"job {JobId}: " + (Tasks.Count > 1 ? $"{Tasks.Count} tasks: " : "") +
          string.Join(", ", Tasks.GroupBy(t => t.State).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Tasks.Count > 1 ? $"{g.Count()} {g.Key}" : g.Key));

    /// <summary>Parses <c>sacct -n -P -X -o JobID,State,ExitCode</c> lines (<c>123_4|COMPLETED|0:0</c>).</summary>
    public static SlurmJobState FromSacct(string jobId, string output)
    {
        var tasks = new List<SlurmTask>();
        foreach (string line in Lines(output))
        {
            string[] f = line.Split('|');
            if (f.Length < 3) continue;
            // sacct writes "CANCELLED by 0"; pending array tasks come as one row "123_[1-3]".
            string state = f[1].Split(' ')[0];
            foreach (string id in ExpandArrayId(f[0])) tasks.Add(new SlurmTask(id, state, f[2]));
        }
        return new SlurmJobState(jobId, tasks);
    }

    /// <summary>Parses <c>scontrol show job -o</c> (one line per task; a pending array's unsplit tasks share a line).</summary>
    public static SlurmJobState FromScontrol(string jobId, string output)
    {
        var tasks = new List<SlurmTask>();
        foreach (string line in Lines(output))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(f => f.Split('=', 2)).Where(kv => kv.Length == 2)
                .GroupBy(kv => kv[0]).ToDictionary(g => g.Key, g => g.First()[1]);
            if (!fields.TryGetValue("JobState", out var state)) continue;
            string exit = fields.GetValueOrDefault("ExitCode", "");
            if (fields.TryGetValue("ArrayJobId", out var arrayJob) && fields.TryGetValue("ArrayTaskId", out var taskIds))
                foreach (int task in ExpandTaskIds(taskIds)) tasks.Add(new SlurmTask($"{arrayJob}_{task}", state, exit));
            else
                tasks.Add(new SlurmTask(fields.GetValueOrDefault("JobId", jobId), state, exit));
        }
        return new SlurmJobState(jobId, tasks.DistinctBy(t => t.Id).ToList());
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IEnumerable<string> ExpandArrayId(string id)
    {
        int open = id.IndexOf("_[", StringComparison.Ordinal);
        if (open < 0 || !id.EndsWith(']')) return [id];
        string job = id[..open];
        return ExpandTaskIds(id[(open + 2)..^1]).Select(t => $"{job}_{t}");
    }

    /// <summary>"1-3,7%2" → 1, 2, 3, 7 (the %N throttle is not a task).</summary>
    internal static IEnumerable<int> ExpandTaskIds(string spec)
    {
        foreach (string part in spec.Split('%')[0].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] range = part.Split(':')[0].Split('-');
            if (!int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)) continue;
            int last = range.Length > 1 && int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out int l) ? l : first;
            for (int t = first; t <= last; t++) yield return t;
        }
    }
}
