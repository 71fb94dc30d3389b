using System.Text.RegularExpressions;
using Workbench.Envs;
using Workbench.Evals;
using Workbench.Evals.Records;
using Workbench.Evals.Runner;
using Workbench.Evals.Statistics;
using Workbench.Reporting;
using Workbench.Training;
using Workbench.Workflows;

namespace Workbench.Tests.Reporting;

/// <summary>
/// Real eval results for the reporting tests, made once per test run: the shipped suites (benchmark, safety, vision when
/// Fashion-MNIST is installed, efficiency) with fewer seeds, played by the bot, the random policy and a tiny transformer
/// trained for a few steps (registered as agent@v1), through the same runner, scorers, statistics and report inputs the
/// CLI uses — so every metric name, unit and group in these tests is one the scorers really emit. The bot is the
/// baseline and random the candidate, so the comparison really regresses.
/// </summary>
internal sealed class RealResults
{
    public const string Baseline = "bot", Candidate = "random", Model = "agent@v1";

    private static readonly Lazy<RealResults> Shared = new(() => new RealResults(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The results, made on first use (a few seconds: a 6-step training run and about 300 episodes).</summary>
    public static RealResults Instance => Shared.Value;

    // Shipped suite, and how many seeds per task the copy keeps (enough for bot vs random to differ significantly on success).
    private static readonly (string File, int Seeds)[] Shipped =
    [
        ("evals/benchmark/quickstart.yaml", 16),
        ("evals/safety/hazards.yaml", 6),
        ("evals/safety/harmful-instructions.yaml", 8),
        ("evals/safety/over-refusal.yaml", 8),
        ("evals/efficiency.yaml", 6),
        ("evals/vision/fashion.yaml", 8),
    ];

    public string Dir { get; } = TestSupport.TempDir();
    public string ResultsRoot => Path.Combine(Dir, "evals-out");
    public string RegistryRoot => Path.Combine(Dir, "registry");
    public IReadOnlyList<LoadedSuite> Suites { get; }
    public IReadOnlyList<string> SuiteFiles { get; }
    public IReadOnlyList<string> Policies { get; } = [Baseline, Candidate, Model];

    /// <summary>The training run behind agent@v1 (its metrics.jsonl gives a real learning curve).</summary>
    public string RunDir { get; }

    /// <summary>Report inputs of every suite: estimates, comparisons (random vs bot), gates, confusions, provenance, learning curve.</summary>
    public ReportInputs Inputs { get; }

    private RealResults()
    {
        TestSupport.SingleThread();
        var options = new BehaviourCloningRecipe.Options { RunsRoot = Path.Combine(Dir, "runs"), RegistryRoot = RegistryRoot, ShowProgress = false };
        using (var recipe = BehaviourCloningRecipe.Start(TestSupport.Experiment(Dir), options)) RunDir = recipe.Train().RunDir;
        ModelVersions.Register(RunDir, "agent", "v1", RegistryRoot);

        var files = new List<string>();
        foreach (var (file, seeds) in Shipped)
        {
            if (file.Contains("fashion", StringComparison.Ordinal) && !FashionMnist.IsAvailable()) continue;
            string text = Regex.Replace(File.ReadAllText(Path.Combine(RepoRoot.Path, file)), @"count: \d+", $"count: {seeds}");
            string copy = Path.Combine(Dir, "suites", Path.GetFileName(file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.WriteAllText(copy, text);
            files.Add(copy);
        }
        SuiteFiles = files;
        Suites = files.Select(f => Evaluation.LoadSuite(f)).ToList();

        var suiteResults = new List<SuiteResults>();
        foreach (var suite in Suites)
        {
            var summaries = new Dictionary<string, Workbench.Evals.Scoring.SuiteSummary>();
            var records = new Dictionary<string, IReadOnlyList<EpisodeRecord>>();
            foreach (string spec in Policies)
            {
                var id = PolicyId.Parse(spec);
                using var policy = PolicyResolvers.Create(id, RegistryRoot);
                var (run, summary) = Evaluation.Run(suite, policy, id, new EvalRunOptions
                {
                    OutputPath = Evaluation.ResultPath(spec, suite.Suite.Name, root: ResultsRoot), BatchSize = 16, ProgressWriter = TextWriter.Null,
                });
                summaries[spec] = summary;
                records[spec] = run.Records;
            }
            suiteResults.Add(VersionReport.Results(suite, records, summaries, Baseline, Candidate, ComparisonOptions.Default));
        }
        Inputs = EvalReportInputs.From(suiteResults) with
        {
            Title = "Real results (test)",
            BaselineName = Baseline,
            CandidateName = Candidate,
            LearningCurves = [MetricsJsonl.Read(Path.Combine(RunDir, "metrics.jsonl"), "loss", Model)],
        };
    }

    public IReadOnlyList<MetricEstimate> Estimates => Inputs.Estimates;

    /// <summary>The report <c>workbench report</c> writes from these results on disk (every suite, agent@v1 shown alongside).</summary>
    public ReportFiles WriteReport(string folder) => VersionReport.Write(new VersionReportRequest
    {
        Suites = SuiteFiles, Baseline = Baseline, Candidate = Candidate, Also = [Model], Output = folder,
        ResultsRoot = ResultsRoot, RegistryRoot = RegistryRoot, Title = "Real results (test)",
    });
}
