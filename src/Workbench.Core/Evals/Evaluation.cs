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
        string sha = loaded.Sha256;
        if (episodesPerSeed is { } n)
        {
            if (n < 1) throw new UserError($"--episodes {n}: must be at least 1");
            suite = suite with { EpisodesPerSeed = n, Tasks = suite.Tasks.Select(t => t with { EpisodesPerSeed = n }).ToList() };
            sha = ConfigLoader.Sha256Hex(ConfigLoader.ToYaml("suite", suite));
        }
        return new LoadedSuite(path, suite, sha);
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

    /// <summary>Concatenates shard files of one run; refuses mixed suites/policies and episodes present twice.</summary>
    public static IReadOnlyList<EpisodeRecord> Merge(IReadOnlyList<string> files, string output)
    {
        if (files.Count == 0) throw new UserError("eval merge: give at least one result file");
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
        EpisodeRecordFile.Write(output, sorted);
        return sorted;
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
        }, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
}
