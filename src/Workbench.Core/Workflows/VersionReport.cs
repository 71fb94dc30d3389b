using Workbench.Evals;
using Workbench.Evals.Scoring;
using Workbench.Reporting;
using Workbench.Training;

namespace Workbench.Workflows;

/// <summary>What to put in a report comparing model versions on one suite.</summary>
public sealed record VersionReportRequest
{
    public required string Suite { get; init; }
    /// <summary><c>--set</c>-style overrides applied to the suite file (as when it was run).</summary>
    public IReadOnlyList<string> SuiteOverrides { get; init; } = [];
    public required string Baseline { get; init; }
    public required string Candidate { get; init; }
    /// <summary>Further policies shown alongside (e.g. "random"), not part of the pass/fail comparison.</summary>
    public IReadOnlyList<string> Also { get; init; } = [];
    public required string Output { get; init; }
    public string Title { get; init; } = "Model version report";
    public string ResultsRoot { get; init; } = Evaluation.DefaultResultsRoot;
    public string RegistryRoot { get; init; } = ModelVersions.DefaultRoot;
    public IReadOnlyDictionary<string, TimeSpan> Durations { get; init; } = new Dictionary<string, TimeSpan>();
}

/// <summary>
/// A report from eval results already on disk (<c>workbench eval</c> wrote them): per-version estimates with
/// intervals, the paired comparison of candidate against baseline, the suite's gates, and — for registered
/// versions — the learning curves of the runs they came from and their provenance.
/// </summary>
public static class VersionReport
{
    public static ReportFiles Write(VersionReportRequest request)
    {
        var suite = Evaluation.LoadSuite(request.Suite, request.SuiteOverrides);
        var policies = new[] { request.Baseline, request.Candidate }.Concat(request.Also).Distinct().ToList();
        var records = policies.ToDictionary(p => p, p => Evaluation.LoadResults(p, suite.Suite, request.ResultsRoot));
        var summaries = policies.ToDictionary(p => p, p => SuiteSummary.Build(suite.Suite, records[p], p));
        var comparison = Evaluation.Compare(suite.Suite, request.Baseline, request.Candidate, request.ResultsRoot);
        var gates = Evaluation.CheckGates(suite.Suite, summaries[request.Candidate], records[request.Candidate],
            records[request.Baseline], request.Baseline);

        // Registered versions bring their training run (learning curve) and provenance.
        var versions = policies.Where(p => p.Contains('@')).Select(p => ModelVersions.Find(p, request.RegistryRoot)).ToList();
        var curves = versions
            .Select(v => (v, Path.Combine(v.SourceRun, "metrics.jsonl")))
            .Where(x => File.Exists(x.Item2))
            .Select(x => MetricsJsonl.Read(x.Item2, "loss", x.v.Reference))
            .ToList();

        var inputs = new ReportInputs
        {
            Title = request.Title,
            Subtitle = $"{string.Join(" vs ", policies)} on {suite.Suite.Name} v{suite.Suite.Version} ({suite.Suite.Description})",
            BaselineName = request.Baseline,
            CandidateName = request.Candidate,
            Estimates = summaries.SelectMany(s => EvalReportInputs.Estimates(s.Value, s.Key)).ToList(),
            Comparisons = EvalReportInputs.Comparisons(comparison).ToList(),
            Gates = EvalReportInputs.Gates(gates, suite.Suite.Name).ToList(),
            LearningCurves = curves,
            LearningCurveMetric = "loss",
            Metadata = new RunMetadata
            {
                GitCommit = Runtime.GitInfo.Commit() ?? "unknown",
                ConfigHashes = versions.ToDictionary(v => v.Reference, v => Short(v.ConfigSha256))
                    .Append(new KeyValuePair<string, string>($"suite {suite.Suite.Name}", Short(suite.Sha256))).ToDictionary(),
                DatasetFingerprints = versions.Where(v => v.DatasetFingerprint != null)
                    .ToDictionary(v => v.Reference, v => Short(v.DatasetFingerprint!)),
                Machine = $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
                Durations = request.Durations,
            },
        };
        return ReportWriter.Write(ReportBuilder.Build(inputs), request.Output);
    }

    private static string Short(string hash) => hash.Length > 16 ? hash[..16] : hash;
}
