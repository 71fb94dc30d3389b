using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Workbench.Config;
using Workbench.Runtime;

namespace Workbench.Training;

/// <summary>run.json: provenance and outcome of a run; <c>WorldSize</c> = ranks of a data-parallel (MPI) run, 1 for one process.</summary>
public sealed record RunInfo(
    string Experiment, string RunId, string ConfigSha256, string? GitCommit, bool? GitDirty, long Seed,
    string Device, int Threads, DateTimeOffset Started, DateTimeOffset? Ended, string Status,
    string? DatasetFingerprint, int StepsCompleted, IReadOnlyDictionary<string, double>? FinalMetrics,
    IReadOnlyList<DateTimeOffset> Resumed, string? Message = null, int WorldSize = 1);

/// <summary>
/// <c>runs/&lt;experiment&gt;/&lt;yyyyMMdd-HHmmss&gt;-&lt;6 hex&gt;/</c>: config.yaml (resolved), config.sha256, run.json,
/// metrics.jsonl, TensorBoard event files, checkpoints/, log.txt.
/// </summary>
public sealed class RunDirectory
{
    public string Path { get; }
    public string CheckpointsDir => System.IO.Path.Combine(Path, "checkpoints");
    public string ConfigPath => System.IO.Path.Combine(Path, "config.yaml");
    public string InfoPath => System.IO.Path.Combine(Path, "run.json");
    public string LogPath => System.IO.Path.Combine(Path, "log.txt");
    public string MetricsPath => System.IO.Path.Combine(Path, "metrics.jsonl");

    private RunDirectory(string path) => Path = path;

    /// <summary>A fresh run id: UTC start time and 6 random hex digits.</summary>
    public static string NewId() => $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";

    /// <summary>
    /// A new run of <paramref name="info"/>'s experiment (any trainable kind) under <c>runsRoot/&lt;experiment&gt;/</c>;
    /// <paramref name="id"/>: one every rank of a run agreed on (default a new one).
    /// </summary>
    public static RunDirectory Create(string runsRoot, LoadedConfig config, RunInfo info, string? id = null)
    {
        id ??= NewId();
        var run = For(runsRoot, info.Experiment, id);
        Directory.CreateDirectory(run.CheckpointsDir);
        AtomicFile.WriteAllText(run.ConfigPath, config.ResolvedYaml);
        AtomicFile.WriteAllText(System.IO.Path.Combine(run.Path, "config.sha256"), config.Sha256 + "\n");
        run.WriteInfo(info with { RunId = id });
        return run;
    }

    /// <summary>Where run <paramref name="id"/> of an experiment lives, without touching the disk.</summary>
    public static RunDirectory For(string runsRoot, string experiment, string id) => new(System.IO.Path.Combine(runsRoot, experiment, id));

    /// <summary>A run directory another process creates (rank 0 of a data-parallel run; the other ranks never write it).</summary>
    public static RunDirectory At(string path) => new(path);

    public static RunDirectory Open(string path)
    {
        var run = new RunDirectory(path.TrimEnd('/', '\\'));
        if (!File.Exists(run.ConfigPath) || !File.Exists(run.InfoPath))
            throw new UserError($"{path} is not a run directory (expected config.yaml and run.json)");
        return run;
    }

    public RunInfo ReadInfo() => JsonSerializer.Deserialize<RunInfo>(File.ReadAllText(InfoPath), Checkpoint.Json)!;

    public void WriteInfo(RunInfo info) => AtomicFile.WriteAllText(InfoPath, JsonSerializer.Serialize(info, Checkpoint.Json));

    /// <summary>Appends a timestamped line to log.txt and, when <paramref name="echo"/> is given, writes the message there too.</summary>
    public void Log(string message, TextWriter? echo)
    {
        string line = $"{DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)} {message}";
        File.AppendAllText(LogPath, line + Environment.NewLine);
        echo?.WriteLine(message);
    }

    public string StepCheckpoint(int step) => System.IO.Path.Combine(CheckpointsDir, $"step-{step:D7}.ckpt");
    public string BestCheckpointPath => System.IO.Path.Combine(CheckpointsDir, "best.ckpt");
    public string? BestCheckpoint => File.Exists(BestCheckpointPath) ? BestCheckpointPath : null;

    /// <summary>Step checkpoints, oldest first.</summary>
    public IReadOnlyList<string> StepCheckpoints =>
        Directory.Exists(CheckpointsDir)
            ? Directory.GetFiles(CheckpointsDir, "step-*.ckpt").Order(StringComparer.Ordinal).ToList()
            : [];

    public string? LatestCheckpoint => StepCheckpoints.LastOrDefault();
}
