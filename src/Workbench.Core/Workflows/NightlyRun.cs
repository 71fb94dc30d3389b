using System.Diagnostics;
using Workbench.Evals;
using Workbench.Evals.Records;
using Workbench.Evals.Runner;
using Workbench.Evals.Scoring;
using Workbench.Evals.Statistics;
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

    /// <param name="fresh">discard interrupted runs' journals instead of resuming them (a journal of another checkpoint
    /// or suite content is refused otherwise, naming both hashes).</param>
    public static NightlyOutcome Run(NightlyConfig config, DateOnly night, string resultsRoot = Evaluation.DefaultResultsRoot, TextWriter? log = null,
        string? registryRoot = null, bool fresh = false)
    {
        log ??= TextWriter.Null;
        var durations = new Dictionary<string, TimeSpan>();
        var hashes = new Dictionary<string, string>();
        var suites = new List<SuiteResults>();
        // The configured α decides every verdict of the night: comparisons and no_significant_drop gates alike.
        var options = ComparisonOptions.Default with { Alpha = config.Alpha };
        // Results of this night live apart from ad-hoc evals, so a night never reuses another night's episodes.
        string root = Path.Combine(resultsRoot, "nightly", night.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        foreach (string file in SuiteFiles(config))
        {
            var suite = Evaluation.LoadSuite(file);
            hashes[$"suite {suite.Suite.Name} v{suite.Suite.Version}"] = Provenance.Short(suite.Sha256);
            var summaries = new Dictionary<string, SuiteSummary>();
            var records = new Dictionary<string, IReadOnlyList<EpisodeRecord>>();
            foreach (string version in config.AllVersions())
            {
                var id = PolicyId.Parse(version);
                var clock = Stopwatch.StartNew();
                using var policy = PolicyResolvers.Create(id, registryRoot);
                var (run, summary) = Evaluation.Run(suite, policy, id, new EvalRunOptions
                {
                    OutputPath = Evaluation.ResultPath(id.Spec, suite.Suite.Name, root: root),
                    BatchSize = 256,
                    Fresh = fresh,
                    ProgressWriter = log,
                });
                durations[$"{suite.Suite.Name} / {version}"] = clock.Elapsed;
                summaries[version] = summary;
                // Read back through the provenance check, as any later compare or report would.
                records[version] = Evaluation.LoadResults(run.OutputPath, suite, new ResultsOptions { Root = root, RegistryRoot = registryRoot });
                log.WriteLine($"{suite.Suite.Name} / {version}: done in {clock.Elapsed.TotalSeconds:F1}s");
            }
            suites.Add(VersionReport.Results(suite, records, summaries, config.Baseline, config.Candidate, options));
        }

        var measured = EvalReportInputs.From(suites);
        return NightlyReport.Publish(config, night, measured with
        {
            Metadata = measured.Metadata! with
            {
                GitCommit = Provenance.CurrentCommit(),
                ConfigHashes = hashes,
                Machine = $"{Environment.MachineName}, {Environment.ProcessorCount} cores",
                Durations = durations,
            },
        });
    }
}
