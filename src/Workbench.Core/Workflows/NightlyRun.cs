using System.Diagnostics;
using Workbench.Evals;
using Workbench.Evals.Runner;
using Workbench.Evals.Scoring;
using Workbench.Reporting;

namespace Workbench.Workflows;

/// <summary>
/// One night, end to end: evaluate every configured version on every configured suite (same seeded episodes),
/// compare the candidate with the baseline episode by episode, check each suite's gates, and publish the report
/// and history through <see cref="NightlyReport"/>. <c>workbench nightly</c> is a thin shell over this.
/// </summary>
public static class NightlyRun
{
    /// <summary>Suite entries are files (evals/safety/hazards.yaml) or folders (evals/safety: every suite in it).</summary>
    public static IReadOnlyList<string> SuiteFiles(NightlyConfig config)
    {
        var files = new List<string>();
        foreach (string entry in config.Suites)
        {
            string candidate = File.Exists(entry) || Directory.Exists(entry) ? entry : Path.Combine("evals", entry);
            if (File.Exists(candidate)) files.Add(candidate);
            else if (File.Exists(candidate + ".yaml")) files.Add(candidate + ".yaml");
            else if (Directory.Exists(candidate))
                files.AddRange(Directory.EnumerateFiles(candidate, "*.yaml", SearchOption.AllDirectories)
                    .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bases{Path.DirectorySeparatorChar}")).Order());
            else throw new UserError($"suites: '{entry}' is neither a suite file nor a folder of suites (looked for {candidate}, {candidate}.yaml)");
        }
        return files.Distinct().ToList();
    }

    public static NightlyOutcome Run(NightlyConfig config, DateOnly night, string resultsRoot = Evaluation.DefaultResultsRoot, TextWriter? log = null)
    {
        log ??= TextWriter.Null;
        var durations = new Dictionary<string, TimeSpan>();
        var estimates = new List<Reporting.MetricEstimate>();
        var comparisons = new List<ComparisonRow>();
        var gates = new List<GateRow>();
        var qualityLatency = new List<QualityLatencyPoint>();
        var hashes = new Dictionary<string, string>();
        // Results of this night live apart from ad-hoc evals, so a night never reuses another night's episodes.
        string root = Path.Combine(resultsRoot, "nightly", night.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        foreach (string file in SuiteFiles(config))
        {
            var suite = Evaluation.LoadSuite(file);
            hashes[$"suite {suite.Suite.Name} v{suite.Suite.Version}"] = suite.Sha256[..12];
            var summaries = new Dictionary<string, SuiteSummary>();
            foreach (string version in config.AllVersions())
            {
                var id = PolicyId.Parse(version);
                var clock = Stopwatch.StartNew();
                using var policy = PolicyResolvers.Create(id);
                var (_, summary) = Evaluation.Run(suite, policy, id, new EvalRunOptions
                {
                    OutputPath = Evaluation.ResultPath(id.Spec, suite.Suite.Name, root: root),
                    BatchSize = 256,
                    ProgressWriter = log,
                });
                durations[$"{suite.Suite.Name} / {version}"] = clock.Elapsed;
                summaries[version] = summary;
                estimates.AddRange(EvalReportInputs.Estimates(summary, version));
                if (QualityLatency(summary, version) is { } point) qualityLatency.Add(point);
                log.WriteLine($"{suite.Suite.Name} / {version}: done in {clock.Elapsed.TotalSeconds:F1}s");
            }

            var comparison = Evaluation.Compare(suite.Suite, config.Baseline, config.Candidate, root);
            comparisons.AddRange(EvalReportInputs.Comparisons(comparison));
            var suiteGates = Evaluation.CheckGates(suite.Suite, summaries[config.Candidate],
                Evaluation.LoadResults(config.Candidate, suite.Suite, root),
                Evaluation.LoadResults(config.Baseline, suite.Suite, root), config.Baseline);
            gates.AddRange(EvalReportInputs.Gates(suiteGates, suite.Suite.Name));
        }

        return NightlyReport.Publish(config, night, new NightlyResults
        {
            Estimates = estimates,
            Comparisons = comparisons,
            Gates = gates,
            QualityLatency = qualityLatency,
            Metadata = new RunMetadata
            {
                GitCommit = Runtime.GitInfo.Commit() ?? "unknown",
                ConfigHashes = hashes,
                Machine = $"{Environment.MachineName}, {Environment.ProcessorCount} cores",
                Durations = durations,
            },
        });
    }

    // Success against latency for the quality/latency plot: the first task that reports both.
    private static QualityLatencyPoint? QualityLatency(SuiteSummary summary, string version)
    {
        foreach (var task in summary.Estimates.Select(e => e.Task).Distinct())
        {
            var success = summary.Find(task, "success_rate");
            var latency = summary.Find(task, "latency_ms");
            if (success?.Value is { } s && latency?.Value is { } l)
                return new QualityLatencyPoint(version, s, success.Low ?? s, success.High ?? s, l, latency.Low ?? l, latency.High ?? l);
        }
        return null;
    }
}
