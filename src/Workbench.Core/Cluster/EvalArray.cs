using System.Globalization;
using System.Text.Json;
using Workbench.Evals;
using Workbench.Evals.Runner;

namespace Workbench.Cluster;

/// <summary>An eval to run as a Slurm array: the same suite, policy and options as <c>workbench eval</c>, split into shards.</summary>
public sealed record EvalArrayRequest
{
    /// <summary>Suite file as the user named it (relative paths resolve against <see cref="SlurmOptions.WorkingDirectory"/>).</summary>
    public required string Suite { get; init; }
    public required string Policy { get; init; }
    public required int Shards { get; init; }
    public IReadOnlyList<string> Overrides { get; init; } = [];
    public int? EpisodesPerSeed { get; init; }
    public int BatchSize { get; init; } = 32;
    public string ResultsRoot { get; init; } = Evaluation.DefaultResultsRoot;

    /// <summary>The merged result file; <c>&lt;results root&gt;/&lt;policy&gt;/&lt;suite&gt;.parquet</c> by default, as an unsharded run.</summary>
    public string? Output { get; init; }
}

/// <summary>What was written and submitted; the job ids are null when the scripts were only written.</summary>
public sealed record SubmittedEvalArray(
    string Folder, string ArrayScript, string MergeScript, IReadOnlyList<string> ShardFiles, string Output, string? ArrayJobId, string? MergeJobId);

/// <summary>
/// <c>workbench eval SUITE --slurm --shards N</c>: writes two sbatch scripts next to the results and submits them —
/// an array of N tasks (task i runs <c>eval --shard i+1/N</c> into its own shard file, resuming from its journal when
/// requeued) and a merge job that starts after every task succeeded (<c>--dependency=afterok</c>) and runs
/// <c>eval merge --suite</c>, which refuses a missing or duplicated shard and any episode the suite does not plan.
/// </summary>
public static class EvalArray
{
    public static SubmittedEvalArray Submit(EvalArrayRequest request, SlurmOptions slurm, SlurmClient? client = null, bool submit = true)
    {
        slurm.Validate();
        client ??= new SlurmClient();
        if (submit) client.RequireSbatch();
        var suite = Evaluation.LoadSuite(InWorkingDirectory(request.Suite, slurm), request.Overrides, request.EpisodesPerSeed);
        int episodes = EvalPlan.Items(suite.Suite).Count;
        if (request.Shards < 1) throw new UserError($"--shards {request.Shards}: must be at least 1");
        if (request.Shards > episodes)
            throw new UserError($"--shards {request.Shards}: suite {suite.Suite.Name} has only {episodes} episodes, so some shards would be empty; use at most {episodes}");
        if (request.BatchSize < 1) throw new UserError($"--batch-size {request.BatchSize}: must be at least 1");
        var id = PolicyId.Parse(request.Policy);

        string output = Path.GetFullPath(InWorkingDirectory(request.Output ?? Evaluation.ResultPath(id.Spec, suite.Suite.Name, root: request.ResultsRoot), slurm));
        string stem = Path.ChangeExtension(output, null);
        string folder = stem + ".slurm";
        string logs = Path.Combine(folder, "logs");
        Directory.CreateDirectory(logs);
        int n = request.Shards;
        string ShardFile(string k) => $"{stem}.shard-{k}-of-{n}.parquet";
        var shardFiles = Enumerable.Range(1, n).Select(k => ShardFile(k.ToString(CultureInfo.InvariantCulture))).ToList();

        var common = new List<string>();
        foreach (string o in request.Overrides) common.AddRange(["--set", o]);
        if (request.EpisodesPerSeed is int e) common.AddRange(["--episodes", e.ToString(CultureInfo.InvariantCulture)]);

        string arrayPath = Path.Combine(folder, "eval-array.sbatch"), mergePath = Path.Combine(folder, "merge.sbatch");
        string described = $"suite {request.Suite} ({suite.Suite.Name} v{suite.Suite.Version}, {episodes} episodes), policy {id.Spec}, {n} shards";
        string arrayScript = SbatchScript.Write(arrayPath, new SbatchJob
        {
            Name = $"wb-eval-{suite.Suite.Name}",
            About =
            [
                $"Workbench eval as a Slurm array: {described}.",
                $"Task i runs shard i+1 of {n} into {Path.GetFileName(ShardFile("<k>"))}; a requeued task resumes from its journal.",
                $"Written by `workbench eval … --slurm` at {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}. Resubmit both jobs:",
                $"  jid=$(sbatch --parsable {arrayPath}) && sbatch --dependency=afterok:$jid --kill-on-invalid-dep=yes {mergePath}",
            ],
            ArrayTasks = Enumerable.Range(0, n).ToList(),
            Log = Path.Combine(logs, "%A_%a.out"),
            Arguments =
            [
                "eval", request.Suite, "--policy", id.Spec, "--shard", $"{SbatchScript.TaskNumber}/{n}", "--out", ShardFile(SbatchScript.TaskNumber),
                "--batch-size", request.BatchSize.ToString(CultureInfo.InvariantCulture), "--quiet", .. common,
            ],
        }, slurm);
        string mergeScript = SbatchScript.Write(mergePath, new SbatchJob
        {
            Name = $"wb-merge-{suite.Suite.Name}",
            About =
            [
                $"Workbench: merge the {n} shards of {described} into {output}.",
                "Submitted with --dependency=afterok:<array job id>; eval merge refuses a missing or duplicated shard.",
            ],
            Log = Path.Combine(logs, "%j-merge.out"),
            Arguments = ["eval", "merge", .. shardFiles, "--out", output, "--suite", request.Suite, .. common],
            Requeue = false,
        }, slurm);

        string? arrayJob = null, mergeJob = null;
        if (submit)
        {
            arrayJob = client.Submit(arrayScript);
            mergeJob = client.Submit(mergeScript, afterOk: arrayJob);
            Runtime.AtomicFile.WriteAllText(Path.Combine(folder, "submitted.json"), JsonSerializer.Serialize(new
            {
                array_job = arrayJob, merge_job = mergeJob, submitted = DateTimeOffset.UtcNow, shards = n, suite = request.Suite, policy = id.Spec,
                output, logs,
            }, new JsonSerializerOptions { WriteIndented = true }));
        }
        return new SubmittedEvalArray(folder, arrayScript, mergeScript, shardFiles, output, arrayJob, mergeJob);
    }

    private static string InWorkingDirectory(string path, SlurmOptions slurm) =>
        Path.IsPathRooted(path) ? path : Path.Combine(slurm.WorkingDirectory, path);
}
