using Workbench.Evals;
using Workbench.Evals.Records;
using Workbench.Evals.Scoring;
using Workbench.Evals.Statistics;
using Workbench.Reporting;
using Workbench.Training;

namespace Workbench.Workflows;

/// <summary>What to put in a report comparing model versions on one or more suites.</summary>
public sealed record VersionReportRequest
{
    /// <summary>Suite files the versions were evaluated on (each its own section, comparison and gates).</summary>
    public required IReadOnlyList<string> Suites { get; init; }
    /// <summary><c>--set</c>-style overrides applied to every suite file (as when they were run).</summary>
    public IReadOnlyList<string> SuiteOverrides { get; init; } = [];
    public required string Baseline { get; init; }
    public required string Candidate { get; init; }
    /// <summary>Further policies shown alongside (e.g. "random"), not part of the pass/fail comparison.</summary>
    public IReadOnlyList<string> Also { get; init; } = [];
    public required string Output { get; init; }
    public string Title { get; init; } = "Model version report";
    public string ResultsRoot { get; init; } = Evaluation.DefaultResultsRoot;
    public string RegistryRoot { get; init; } = ModelVersions.DefaultRoot;
    /// <summary>Run the suite again for a policy whose results are missing or stale (checkpoint or suite changed) instead of refusing.</summary>
    public bool Rerun { get; init; }
    /// <summary>Where re-runs are announced and draw their progress.</summary>
    public TextWriter? Log { get; init; }
    public IReadOnlyDictionary<string, TimeSpan> Durations { get; init; } = new Dictionary<string, TimeSpan>();
}

/// <summary>
/// A report from eval results already on disk (<c>workbench eval</c> wrote them): per-version estimates with
/// intervals, the paired comparison of candidate against baseline and the gates of every suite, and — for registered
/// versions — the learning curves of the runs they came from and their provenance. Results whose checkpoint or suite
/// no longer match are refused (or re-run with <see cref="VersionReportRequest.Rerun"/>), never silently reused.
/// </summary>
public static class VersionReport
{
    public static ReportFiles Write(VersionReportRequest request)
    {
        if (request.Suites.Count == 0) throw new UserError("report: give at least one suite");
        var policies = new[] { request.Baseline, request.Candidate }.Concat(request.Also).Distinct().ToList();
        var results = new ResultsOptions
        {
            Root = request.ResultsRoot, RegistryRoot = request.RegistryRoot, RunIfMissing = request.Rerun, RerunIfStale = request.Rerun,
            Log = request.Log, Progress = request.Log,
        };
        var suites = request.Suites.Select(file => Evaluation.LoadSuite(file, request.SuiteOverrides)).ToList();
        var models = policies.ToDictionary(p => p, p => ModelInfo(p, request.RegistryRoot));
        var measured = EvalReportInputs.From(suites.Select(suite =>
        {
            var records = policies.ToDictionary(p => p, p => Evaluation.LoadResults(p, suite, results));
            var summaries = records.ToDictionary(r => r.Key, r => SuiteSummary.Build(suite.Suite, r.Value, r.Key, models[r.Key]));
            return Results(suite, records, summaries, request.Baseline, request.Candidate, ComparisonOptions.Default);
        }));

        // Registered versions bring their training run (learning curve) and provenance.
        var versions = policies.Where(p => p.Contains('@')).Select(p => ModelVersions.Find(p, request.RegistryRoot)).ToList();
        var curves = versions
            .Select(v => (v, Path.Combine(v.SourceRun, "metrics.jsonl")))
            .Where(x => File.Exists(x.Item2))
            .Select(x => MetricsJsonl.Read(x.Item2, "loss", x.v.Reference))
            .ToList();

        string suiteNames = string.Join(", ", suites.Select(s => $"{s.Suite.Name} v{s.Suite.Version}"));
        var inputs = measured with
        {
            Title = request.Title,
            Subtitle = $"{string.Join(" vs ", policies)} on {suiteNames}" + (suites.Count == 1 ? $" ({suites[0].Suite.Description})" : ""),
            BaselineName = request.Baseline,
            CandidateName = request.Candidate,
            LearningCurves = curves,
            LearningCurveMetric = "loss",
            Metadata = measured.Metadata! with
            {
                GitCommit = Provenance.CurrentCommit(),
                ConfigHashes = versions.ToDictionary(v => v.Reference, v => Provenance.Short(v.ConfigSha256))
                    .Concat(suites.Select(s => new KeyValuePair<string, string>($"suite {s.Suite.Name}", Provenance.Short(s.Sha256)))).ToDictionary(),
                DatasetFingerprints = versions.Where(v => v.DatasetFingerprint != null)
                    .ToDictionary(v => v.Reference, v => Provenance.Short(v.DatasetFingerprint!)),
                Machine = $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
                Durations = request.Durations,
            },
        };
        return ReportWriter.Write(ReportBuilder.Build(inputs), request.Output);
    }

    /// <summary>
    /// One suite's results for a report: each policy's summary, the paired comparison of candidate against baseline and
    /// the suite's gates, at the significance level of <paramref name="options"/> (shared by version reports and the nightly).
    /// </summary>
    public static SuiteResults Results(LoadedSuite suite, IReadOnlyDictionary<string, IReadOnlyList<EpisodeRecord>> records,
        IReadOnlyDictionary<string, SuiteSummary> summaries, string baseline, string candidate, ComparisonOptions options)
    {
        var comparison = Evals.Comparison.EpisodeComparison.Compare(suite.Suite, records[baseline], records[candidate], baseline, candidate, options: options);
        var gates = Evaluation.CheckGates(suite.Suite, summaries[candidate], records[candidate], records[baseline], baseline, options);
        return new SuiteResults(suite.Suite.Name, summaries, comparison, gates);
    }

    // Parameters and FLOPs of a registered version (the efficiency suite's model properties); null for built-in policies.
    private static Rollouts.IModelInfo? ModelInfo(string policy, string registryRoot)
    {
        var id = Evals.Runner.PolicyId.Parse(policy);
        if (id.Version.Length == 0) return null;
        using var loaded = PolicyResolvers.Create(id, registryRoot);
        return loaded is Rollouts.IModelInfo info ? new KnownModelInfo(info.Parameters, info.FlopsPerAction, info.CheckpointSha256) : null;
    }

    private sealed record KnownModelInfo(long? Parameters, double? FlopsPerAction, string? CheckpointSha256) : Rollouts.IModelInfo;
}
