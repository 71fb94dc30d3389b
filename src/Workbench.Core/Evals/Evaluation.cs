using Workbench.Config;
using Workbench.Evals.Comparison;
using Workbench.Evals.Gates;
using Workbench.Evals.Records;
using Workbench.Evals.Runner;
using Workbench.Evals.Scoring;
using Workbench.Evals.Statistics;
using Workbench.Evals.Suites;
using Workbench.Rollouts;

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

    /// <summary>Result records of a file path, or of a policy spec looked up under the results root.</summary>
    public static IReadOnlyList<EpisodeRecord> LoadResults(string fileOrSpec, SuiteConfig suite, string root = DefaultResultsRoot)
    {
        if (File.Exists(fileOrSpec)) return EpisodeRecordFile.Read(fileOrSpec);
        if (fileOrSpec.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            throw new UserError($"{fileOrSpec}: result file not found");
        var id = PolicyId.Parse(fileOrSpec);
        string path = ResultPath(id.Spec, suite.Name, root: root);
        if (!File.Exists(path))
            throw new UserError($"no results for {id.Spec} on suite {suite.Name} ({path} not found); run: workbench eval <suite.yaml> --policy {id.Spec}");
        return EpisodeRecordFile.Read(path);
    }

    /// <summary>Runs the suite (resuming an interrupted run), writes the records and a summary next to them.</summary>
    public static (EvalRunResult Run, SuiteSummary Summary) Run(LoadedSuite loaded, IPolicy policy, PolicyId id, EvalRunOptions options)
    {
        var run = EvalRunner.Run(loaded.Suite, policy, id, options with { SuiteSha256 = loaded.Sha256 });
        var summary = SuiteSummary.Build(loaded.Suite, run.Records, id.Spec, policy as IModelInfo);
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
        (string, string, string, int)? identity = null;
        foreach (string file in files)
        {
            foreach (var r in EpisodeRecordFile.Read(file))
            {
                var id = (r.Model, r.Version, r.Suite, r.SuiteVersion);
                identity ??= id;
                if (id != identity)
                    throw new UserError($"{file}: episodes of {r.Model}{(r.Version.Length > 0 ? "@" + r.Version : "")} on {r.Suite} v{r.SuiteVersion}, " +
                                        $"but {files[0]} holds {identity.Value.Item1} on {identity.Value.Item3} v{identity.Value.Item4}; only shards of one run merge");
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
    /// The baseline's records for no_significant_drop gates: a result file as it is; a policy's stored results of this
    /// suite version under <paramref name="root"/>; or, when those are missing or from another suite version, a fresh run
    /// of the policy (saying so on <paramref name="log"/>, its progress bar on <paramref name="progress"/>).
    /// </summary>
    public static IReadOnlyList<EpisodeRecord> LoadOrRunBaseline(LoadedSuite loaded, string fileOrSpec, string root, int batchSize,
        TextWriter log, TextWriter? progress = null)
    {
        if (File.Exists(fileOrSpec)) return EpisodeRecordFile.Read(fileOrSpec);
        var id = PolicyId.Parse(fileOrSpec);
        string path = ResultPath(id.Spec, loaded.Suite.Name, root: root);
        if (File.Exists(path))
        {
            var records = EpisodeRecordFile.Read(path);
            if (records.Count > 0 && records[0].SuiteVersion == loaded.Suite.Version) return records;
        }
        log.WriteLine($"baseline {id.Spec}: no results for suite {loaded.Suite.Name} v{loaded.Suite.Version} at {path}; running it");
        using var policy = PolicyResolvers.Create(id);
        return Run(loaded, policy, id, new EvalRunOptions { OutputPath = path, BatchSize = batchSize, ProgressWriter = progress }).Run.Records;
    }

    /// <summary>Checks the suite's gates; a baseline is needed when the suite has no_significant_drop gates.</summary>
    public static IReadOnlyList<GateResult> CheckGates(SuiteConfig suite, SuiteSummary summary, IReadOnlyList<EpisodeRecord> records,
        IReadOnlyList<EpisodeRecord>? baseline, string baselineName) =>
        SuiteGates.Evaluate(suite, summary, records, baseline, baselineName);

    public static ComparisonReport Compare(SuiteConfig suite, string a, string b, string root = DefaultResultsRoot) =>
        EpisodeComparison.Compare(suite, LoadResults(a, suite, root), LoadResults(b, suite, root), a, b);
}

/// <summary>The summary of a run as JSON (for reports and other tools).</summary>
public static class SummaryFile
{
    public static void Write(string path, SuiteSummary summary) =>
        Runtime.AtomicFile.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(new
        {
            suite = summary.Suite,
            suite_version = summary.SuiteVersion,
            policy = summary.Policy,
            estimates = summary.Estimates.Select(e => new
            {
                task = e.Task, metric = e.Metric, value = e.Value, low = e.Low, high = e.High, n = e.Count, clusters = e.Clusters,
                method = e.Method, note = e.Note,
            }),
            confusion = summary.Confusions.Select(c => new { task = c.Task, rows_named_class_columns_reached_class_then_none = c.Counts }),
            train_vs_held_out = summary.Gaps.Select(g => new
            {
                kind = g.Label, metric = g.Metric, train_tasks = g.TrainTasks, held_out_tasks = g.HeldOutTasks,
                train = g.Train.Estimate, train_low = g.Train.Low, train_high = g.Train.High, train_n = g.TrainCount,
                held_out = g.HeldOut.Estimate, held_out_low = g.HeldOut.Low, held_out_high = g.HeldOut.High, held_out_n = g.HeldOutCount,
                gap = g.Gap.Estimate, gap_low = g.Gap.Low, gap_high = g.Gap.High, method = g.Method,
            }),
        }, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
}
