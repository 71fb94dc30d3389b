using Workbench.Config;
using Workbench.Evals.Comparison;
using Workbench.Evals.Gates;
using Workbench.Evals.Records;
using Workbench.Evals.Runner;
using Workbench.Evals.Scoring;
using Workbench.Evals.Statistics;
using Workbench.Evals.Suites;
using Workbench.Rollouts;
using Workbench.Training;

namespace Workbench.Evals;

/// <summary>A suite file bound and validated, with the hash of its resolved content (after overrides).</summary>
public sealed record LoadedSuite(string File, SuiteConfig Suite, string Sha256);

/// <summary>
/// The eval workflow as library calls (the CLI and notebooks call these): load a suite, run it for a policy,
/// summarise, check gates, merge shards, compare versions. Results live under <c>evals-out/&lt;policy&gt;/&lt;suite&gt;.parquet</c>.
/// </summary>
public static class Evaluation
{
    public const string DefaultResultsRoot = "evals-out";

    /// <summary>Loads a suite; <paramref name="episodesPerSeed"/> (CLI --episodes) replaces every task's episodes per seed.</summary>
    public static LoadedSuite LoadSuite(string path, IEnumerable<string>? overrides = null, int? episodesPerSeed = null)
    {
        var loaded = ConfigLoader.LoadAs(typeof(SuiteConfig), path, overrides);
        var suite = (SuiteConfig)loaded.Value;
        string yaml = loaded.ResolvedYaml;
        if (episodesPerSeed is { } n)
        {
            if (n < 1) throw new UserError($"--episodes {n}: must be at least 1");
            suite = suite with { EpisodesPerSeed = n, Tasks = suite.Tasks.Select(t => t with { EpisodesPerSeed = n }).ToList() };
            yaml = ConfigLoader.ToYaml("suite", suite);
        }
        // Missions files are part of what a suite runs: an edited file must not resume or pass for the old results.
        foreach (var task in suite.Tasks.Where(t => t.Missions != null))
            yaml += $"\n# missions {task.Missions!.File} sha256 {task.Missions.Set(task.Level.Length > 0 ? task.Level : null).Sha256}";
        return new LoadedSuite(path, suite, ConfigLoader.Sha256Hex(yaml));
    }

    /// <summary><c>evals-out/&lt;policy&gt;/&lt;suite&gt;.parquet</c>, or <c>…/&lt;suite&gt;.shard-k-of-N.parquet</c> for a shard.</summary>
    public static string ResultPath(string policySpec, string suiteName, Shard? shard = null, string root = DefaultResultsRoot) =>
        Path.Combine(root, policySpec, shard is { Count: > 1 } s ? $"{suiteName}.shard-{s.Index}-of-{s.Count}.parquet" : $"{suiteName}.parquet");

    public static string SummaryPath(string resultPath) => Path.ChangeExtension(resultPath, null) + ".summary.json";

    /// <summary>
    /// Result records of a file path, or of a policy spec looked up under <see cref="ResultsOptions.Root"/>, checked
    /// against what would produce them now (<see cref="CheckProvenance"/>): the suite's resolved content and, for
    /// name@version, the checkpoint the registry holds. Missing or stale results of a policy spec are run again when
    /// <paramref name="options"/> asks for it; otherwise (and always for a file) they are refused with a
    /// <see cref="UserError"/> naming both hashes.
    /// </summary>
    public static IReadOnlyList<EpisodeRecord> LoadResults(string fileOrSpec, LoadedSuite suite, ResultsOptions? options = null)
    {
        options ??= new ResultsOptions();
        if (File.Exists(fileOrSpec))
        {
            var fromFile = EpisodeRecordFile.Read(fileOrSpec);
            CheckProvenance(fileOrSpec, fromFile, suite, RegisteredCheckpoint(fromFile, options.RegistryRoot));
            return fromFile;
        }
        if (fileOrSpec.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            throw new UserError($"{fileOrSpec}: result file not found");
        var id = PolicyId.Parse(fileOrSpec);
        string path = ResultPath(id.Spec, suite.Suite.Name, root: options.Root);
        if (!File.Exists(path))
        {
            if (options.RunIfMissing)
                return RunFor(suite, id, path, options, $"no results for suite {suite.Suite.Name} v{suite.Suite.Version} at {path}", fresh: false);
            throw new UserError($"no results for {id.Spec} on suite {suite.Suite.Name} ({path} not found); run: workbench eval {suite.File} --policy {id.Spec}");
        }
        var records = EpisodeRecordFile.Read(path);
        string expected = ExpectedCheckpoint(id, options.RegistryRoot);
        if (options.RerunIfStale && Stale(records, suite, expected) is { } why) return RunFor(suite, id, path, options, why, fresh: true);
        CheckProvenance(path, records, suite, expected);
        return records;
    }

    /// <summary>
    /// Refuses records that the suite and checkpoint in use now would not produce: another suite name or version, another
    /// resolved suite content (the file, its includes, --set or --episodes changed), another checkpoint than
    /// <paramref name="expectedCheckpoint"/> (null: not checked), or a file that mixes several of either.
    /// </summary>
    public static void CheckProvenance(string source, IReadOnlyList<EpisodeRecord> records, LoadedSuite suite, string? expectedCheckpoint)
    {
        if (Stale(records, suite, expectedCheckpoint) is { } why)
        {
            string who = records.Count > 0 ? new PolicyId(records[0].Model, records[0].Version).Spec : "the policy";
            throw new UserError($"{source}: {why}; stale results are not reused — run: workbench eval {suite.File} --policy {who} " +
                                "(compare, report and eval --baseline do it with --rerun)");
        }
    }

    /// <summary>Why the records are not what <paramref name="suite"/> and the checkpoint would produce now, or null when they are.</summary>
    private static string? Stale(IReadOnlyList<EpisodeRecord> records, LoadedSuite suite, string? expectedCheckpoint)
    {
        if (records.Count == 0) return "the file holds no episodes";
        var suites = records.Select(r => (r.Suite, r.SuiteVersion)).Distinct().ToList();
        if (suites.Count != 1 || suites[0] != (suite.Suite.Name, suite.Suite.Version))
            return $"results of suite {string.Join(", ", suites.Select(v => $"{v.Suite} v{v.SuiteVersion}"))}, but {suite.File} is {suite.Suite.Name} v{suite.Suite.Version}";
        var suiteHashes = records.Select(r => r.SuiteSha256).Distinct().ToList();
        if (suiteHashes.Count > 1) return $"episodes of {suiteHashes.Count} different suite contents ({string.Join(", ", suiteHashes.Select(Provenance.Short))}) in one file";
        if (suiteHashes[0] != suite.Sha256)
            return $"run on suite content sha256 {Provenance.Short(suiteHashes[0])}, but {suite.File} (with these --set/--episodes) now resolves to sha256 " +
                   $"{Provenance.Short(suite.Sha256)}";
        var checkpoints = records.Select(r => r.CheckpointSha256).Distinct().ToList();
        if (checkpoints.Count > 1) return $"episodes of {checkpoints.Count} different checkpoints ({string.Join(", ", checkpoints.Select(Provenance.Short))}) in one file";
        if (expectedCheckpoint is not null && checkpoints[0] != expectedCheckpoint)
        {
            string spec = new PolicyId(records[0].Model, records[0].Version).Spec;
            return checkpoints[0].Length == 0
                ? $"the results of {spec} record no checkpoint (the policy was not loaded through the model registry), but {spec} is checkpoint sha256 {Provenance.Short(expectedCheckpoint)}"
                : $"produced by checkpoint sha256 {Provenance.Short(checkpoints[0])}, but {spec} is now registered with checkpoint sha256 " +
                  $"{Provenance.Short(expectedCheckpoint)} (registered again with --force?)";
        }
        return null;
    }

    /// <summary>The checkpoint sha256 results of <paramref name="id"/> must carry: the registry's for name@version, "" for built-in policies.</summary>
    public static string ExpectedCheckpoint(PolicyId id, string? registryRoot = null) =>
        id.Version.Length == 0 ? "" : ModelVersions.Find(id.Spec, registryRoot).CurrentCheckpointSha256;

    // A result file names its own policy; its checkpoint can be checked when that version is in this registry.
    private static string? RegisteredCheckpoint(IReadOnlyList<EpisodeRecord> records, string? registryRoot)
    {
        if (records.Count == 0) return null;
        var id = new PolicyId(records[0].Model, records[0].Version);
        if (id.Version.Length == 0) return "";
        string file = Path.Combine(registryRoot ?? ModelVersions.DefaultRoot, id.Model, id.Version, "version.json");
        return File.Exists(file) ? ExpectedCheckpoint(id, registryRoot) : null;
    }

    // fresh: a stale run's journal is discarded; a missing run resumes its journal when it is of this very run.
    private static IReadOnlyList<EpisodeRecord> RunFor(LoadedSuite suite, PolicyId id, string path, ResultsOptions options, string why, bool fresh)
    {
        (options.Log ?? TextWriter.Null).WriteLine($"{id.Spec}: {why}; running it");
        using var policy = PolicyResolvers.Create(id, options.RegistryRoot);
        var run = new EvalRunOptions { OutputPath = path, BatchSize = options.BatchSize, Fresh = fresh, ProgressWriter = options.Progress ?? TextWriter.Null };
        return Run(suite, policy, id, run).Run.Records;
    }

    /// <summary>
    /// Runs the suite (resuming an interrupted run), writes the records and a summary next to them. Every record carries
    /// its provenance: the resolved suite's sha256, the policy's checkpoint sha256 (<see cref="IModelInfo.CheckpointSha256"/>)
    /// and the code commit.
    /// </summary>
    public static (EvalRunResult Run, SuiteSummary Summary) Run(LoadedSuite loaded, IPolicy policy, PolicyId id, EvalRunOptions options)
    {
        var info = policy as IModelInfo;
        var run = EvalRunner.Run(loaded.Suite, policy, id, options with
        {
            SuiteSha256 = loaded.Sha256,
            CheckpointSha256 = info?.CheckpointSha256 ?? "",
            CodeCommit = Provenance.CurrentCommit(),
        });
        var summary = SuiteSummary.Build(loaded.Suite, run.Records, id.Spec, info);
        SummaryFile.Write(SummaryPath(run.OutputPath), summary);
        return (run, summary);
    }

    /// <summary>
    /// Joins the shard files of one run into one result file. Refuses (naming the shard) a shard that is missing or
    /// given twice, shards of different splits, suites or policies, and episodes present twice; with
    /// <paramref name="suite"/> also checks that the merged episodes are exactly the suite's and writes the summary.
    /// </summary>
    public static IReadOnlyList<EpisodeRecord> Merge(IReadOnlyList<string> files, string output, LoadedSuite? suite = null)
    {
        if (files.Count == 0) throw new UserError("eval merge: give at least one result file");
        var parts = files.Select(f => (File: f, Info: ShardOf(f))).ToList();
        CheckShardsComplete(parts);

        var all = new List<EpisodeRecord>();
        var origin = new Dictionary<EpisodeKey, string>();
        (string, string, string, int, string, string)? identity = null;
        foreach (string file in files)
        {
            foreach (var r in EpisodeRecordFile.Read(file))
            {
                // Shards of one run share the checkpoint and the resolved suite as well as the names.
                var id = (r.Model, r.Version, r.Suite, r.SuiteVersion, r.CheckpointSha256, r.SuiteSha256);
                identity ??= id;
                if (id != identity)
                    throw new UserError($"{file}: episodes of {r.Model}{(r.Version.Length > 0 ? "@" + r.Version : "")} on {r.Suite} v{r.SuiteVersion} " +
                                        $"(checkpoint sha256 {Provenance.Short(r.CheckpointSha256)}, suite sha256 {Provenance.Short(r.SuiteSha256)}), " +
                                        $"but {files[0]} holds {identity.Value.Item1} on {identity.Value.Item3} v{identity.Value.Item4} " +
                                        $"(checkpoint sha256 {Provenance.Short(identity.Value.Item5)}, suite sha256 {Provenance.Short(identity.Value.Item6)}); " +
                                        "only shards of one run merge");
                if (!origin.TryAdd(r.Key, file))
                    throw new UserError($"episode {r.Key} is in both {origin[r.Key]} and {file}; shards must not overlap");
                all.Add(r);
            }
        }
        var sorted = all.Order(EpisodeOrder.Instance).ToList();
        string sha = parts[0].Info.SuiteSha256;
        if (suite != null) CheckAgainstPlan(suite, sorted, sha, files[0]);
        string policy = parts[0].Info.Policy.Length > 0 ? parts[0].Info.Policy
            : sorted.Count > 0 ? new PolicyId(sorted[0].Model, sorted[0].Version).Spec : "";
        EpisodeRecordFile.Write(output, sorted, new ResultFileInfo(Shard.All.ToString(), sha, policy));
        if (suite != null) SummaryFile.Write(SummaryPath(output), SuiteSummary.Build(suite.Suite, sorted, policy));
        return sorted;
    }

    private static readonly System.Text.RegularExpressions.Regex ShardFileName = new(@"\.shard-(\d+)-of-(\d+)\.parquet$");

    /// <summary>The part of the suite a result file holds: its metadata, or (files written before it existed) its name.</summary>
    private static ResultFileInfo ShardOf(string file)
    {
        if (EpisodeRecordFile.ReadInfo(file) is { } info)
        {
            if (Shard.TryParse(info.Shard) is null)
                throw new UserError($"{file}: {ResultFileInfo.ShardKey} is '{info.Shard}', expected k/N");
            return info;
        }
        var m = ShardFileName.Match(file);
        if (m.Success && Shard.TryParse($"{m.Groups[1].Value}/{m.Groups[2].Value}") is { } named) return new ResultFileInfo(named.ToString(), "", "");
        throw new UserError($"{file}: cannot tell which shard this is (no {ResultFileInfo.ShardKey} metadata, and the name does not end in " +
                            ".shard-k-of-N.parquet); run that shard again with `workbench eval … --shard k/N`");
    }

    private static void CheckShardsComplete(IReadOnlyList<(string File, ResultFileInfo Info)> parts)
    {
        var shards = parts.Select(p => (p.File, Shard: Shard.TryParse(p.Info.Shard)!.Value, p.Info.SuiteSha256)).ToList();
        var counts = shards.Select(s => s.Shard.Count).Distinct().ToList();
        if (counts.Count > 1)
            throw new UserError("eval merge: the files come from different splits (" +
                                string.Join(", ", shards.Select(s => $"{s.File} is shard {s.Shard}")) + "); merge the shards of one run");
        int n = counts[0];
        foreach (var twice in shards.GroupBy(s => s.Shard.Index).Where(g => g.Count() > 1))
            throw new UserError($"eval merge: shard {twice.Key}/{n} is given {twice.Count()} times ({string.Join(", ", twice.Select(s => s.File))})");
        var missing = Enumerable.Range(1, n).Except(shards.Select(s => s.Shard.Index)).ToList();
        if (missing.Count > 0)
            throw new UserError($"eval merge: shard{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(k => $"{k}/{n}"))} " +
                                $"missing (given: {string.Join(", ", shards.OrderBy(s => s.Shard.Index).Select(s => $"{s.Shard} = {s.File}"))}); " +
                                "every shard of the run is needed, or the merged file would look complete without being so");
        var hashes = shards.Where(s => s.SuiteSha256.Length > 0).GroupBy(s => s.SuiteSha256).ToList();
        if (hashes.Count > 1)
            throw new UserError("eval merge: the shards ran different suite content (different files or --set/--episodes): " +
                                string.Join("; ", hashes.Select(g => $"sha256 {Short(g.Key)}: {string.Join(", ", g.Select(s => s.File))}")));
    }

    private static string Short(string sha) => sha[..Math.Min(12, sha.Length)];

    private static void CheckAgainstPlan(LoadedSuite suite, IReadOnlyList<EpisodeRecord> records, string sha, string example)
    {
        if (sha.Length > 0 && sha != suite.Sha256)
            throw new UserError($"eval merge: {example} was run with other suite content than {suite.File} with these options " +
                                $"(sha256 {Short(sha)} vs {Short(suite.Sha256)}); pass the same --set/--episodes as the shards");
        var planned = EvalPlan.Items(suite.Suite).Select(i => i.Key).ToHashSet();
        var have = records.Select(r => r.Key).ToHashSet();
        var missing = planned.Except(have).ToList();
        var extra = have.Except(planned).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new UserError($"eval merge: the shards hold {have.Count} of the {planned.Count} episodes of {suite.File}" +
                                (missing.Count > 0 ? $"; missing {missing.Count}, e.g. {missing[0]}" : "") +
                                (extra.Count > 0 ? $"; {extra.Count} not in the suite, e.g. {extra[0]}" : ""));
    }

    /// <summary>
    /// The baseline's records for no_significant_drop gates (<c>eval --gate --baseline</c>): a result file as it is, or a
    /// policy's stored results — run when missing, and when stale if <see cref="ResultsOptions.RerunIfStale"/>.
    /// </summary>
    public static IReadOnlyList<EpisodeRecord> LoadOrRunBaseline(LoadedSuite loaded, string fileOrSpec, ResultsOptions options) =>
        LoadResults(fileOrSpec, loaded, options with { RunIfMissing = true });

    /// <summary>Checks the suite's gates; a baseline is needed when the suite has no_significant_drop gates; α from <paramref name="options"/>.</summary>
    public static IReadOnlyList<GateResult> CheckGates(SuiteConfig suite, SuiteSummary summary, IReadOnlyList<EpisodeRecord> records,
        IReadOnlyList<EpisodeRecord>? baseline, string baselineName, ComparisonOptions? options = null) =>
        SuiteGates.Evaluate(suite, summary, records, baseline, baselineName, options);

    /// <summary>Paired comparison of B against A on the suite's episodes (each loaded and checked by <see cref="LoadResults"/>).</summary>
    public static ComparisonReport Compare(LoadedSuite suite, string a, string b, ResultsOptions? results = null, ComparisonOptions? options = null) =>
        EpisodeComparison.Compare(suite.Suite, LoadResults(a, suite, results), LoadResults(b, suite, results), a, b, options: options);
}

/// <summary>
/// Where stored results are looked up (<see cref="Evaluation.LoadResults"/>) and whether a policy's missing or stale
/// results are run again (with <see cref="BatchSize"/>, announced on <see cref="Log"/>, its progress bar on <see cref="Progress"/>).
/// </summary>
public sealed record ResultsOptions
{
    public string Root { get; init; } = Evaluation.DefaultResultsRoot;
    /// <summary>Model registry of name@version policies (null: <c>registry/</c>).</summary>
    public string? RegistryRoot { get; init; }
    public bool RunIfMissing { get; init; }
    /// <summary>Run again when the stored results no longer match the suite or the registered checkpoint (instead of refusing).</summary>
    public bool RerunIfStale { get; init; }
    public int BatchSize { get; init; } = 32;
    public TextWriter? Log { get; init; }
    public TextWriter? Progress { get; init; }
}

/// <summary>
/// The summary of a run as JSON (for reports and other tools): its provenance, every estimate with its metric's unit,
/// direction and group, and the confusion counts of FashionGrid tasks.
/// </summary>
public static class SummaryFile
{
    public static void Write(string path, SuiteSummary summary) =>
        Runtime.AtomicFile.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(new
        {
            suite = summary.Suite,
            suite_version = summary.SuiteVersion,
            policy = summary.Policy,
            checkpoint_sha256 = summary.Provenance?.CheckpointSha256,
            suite_sha256 = summary.Provenance?.SuiteSha256,
            code_commit = summary.Provenance?.CodeCommit,
            estimates = summary.Estimates.Select(e => new
            {
                task = e.Task, metric = e.Metric, value = e.Value, low = e.Low, high = e.High, n = e.Count, clusters = e.Clusters,
                method = e.Method, note = e.Note, unit = e.Info.Unit, direction = e.Info.Direction.ToString(), group = e.Info.Group.ToString(),
            }),
            confusion = summary.Confusions.Select(c => new { task = c.Task, rows = c.Rows, columns = c.Columns, counts = c.Counts }),
            train_vs_held_out = summary.Gaps.Select(g => new
            {
                kind = g.Label, metric = g.Metric, train_tasks = g.TrainTasks, held_out_tasks = g.HeldOutTasks,
                train = g.Train.Estimate, train_low = g.Train.Low, train_high = g.Train.High, train_n = g.TrainCount,
                held_out = g.HeldOut.Estimate, held_out_low = g.HeldOut.Low, held_out_high = g.HeldOut.High, held_out_n = g.HeldOutCount,
                gap = g.Gap.Estimate, gap_low = g.Gap.Low, gap_high = g.Gap.High, method = g.Method,
            }),
        }, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
}
