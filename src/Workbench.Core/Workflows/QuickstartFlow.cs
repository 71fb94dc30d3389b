using System.Diagnostics;
using Workbench.Config;
using Workbench.Data;
using Workbench.Evals;
using Workbench.Evals.Runner;
using Workbench.Reporting;
using Workbench.Rollouts;
using Workbench.Training;

namespace Workbench.Workflows;

/// <summary>Where the quickstart reads its configs and writes its outputs (all relative to the repository root).</summary>
public sealed record QuickstartOptions
{
    /// <summary>Dataset config built first; null when the experiments generate their demos (bot: sources).</summary>
    public string? Dataset { get; init; } = "datasets/gotoredballgrey.yaml";

    /// <summary>
    /// Image-tower classifiers (kind: image_classifier) trained and registered as <c>name@v1</c> before the experiments,
    /// which start their <c>image</c> part from them (<c>train.init_parts</c>). Empty for the symbolic quickstart.
    /// </summary>
    public IReadOnlyList<(string Config, string Name)> Pretrain { get; init; } = [];
    public IReadOnlyList<string> Experiments { get; init; } = ["experiments/quickstart/v1-short.yaml", "experiments/quickstart/v2-long.yaml"];
    public string Suite { get; init; } = "evals/benchmark/quickstart.yaml";
    public string ModelName { get; init; } = "quickstart";
    public string RunsRoot { get; init; } = "runs";
    public string RegistryRoot { get; init; } = ModelVersions.DefaultRoot;
    public string ResultsRoot { get; init; } = Evaluation.DefaultResultsRoot;
    public string ReportFolder { get; init; } = "reports/quickstart";
    /// <summary>Extra <c>--set</c> overrides applied to every experiment (e.g. fewer steps in tests).</summary>
    public IReadOnlyList<string> ExperimentOverrides { get; init; } = [];
    /// <summary>Overrides for experiment i only, after <see cref="ExperimentOverrides"/> (e.g. each version's own data in tests).</summary>
    public IReadOnlyList<IReadOnlyList<string>> OverridesPerExperiment { get; init; } = [];
    /// <summary>Replaces the suite's seed count (tests use fewer episodes).</summary>
    public IReadOnlyList<string> SuiteOverrides { get; init; } = [];
    /// <summary>Extra <c>--set</c> overrides applied to every pretraining config (e.g. fewer steps in tests).</summary>
    public IReadOnlyList<string> PretrainOverrides { get; init; } = [];
    public string Title { get; init; } = "Workbench quickstart";
    public bool ShowProgress { get; init; } = true;
    public TextWriter Log { get; init; } = Console.Out;
    /// <summary>Where progress bars and run logs go when <see cref="ShowProgress"/> (null: stderr).</summary>
    public TextWriter? ProgressWriter { get; init; }

    /// <summary>
    /// The vision quickstart (<c>workbench quickstart --vision</c>): pretrain the pixel agent's image tower on Fashion-MNIST,
    /// then train a symbolic agent (v1, the baseline) and a pixel agent starting from that tower (v2) on the same FashionGoTo
    /// demonstrations, then one DAgger round from v2 (v3: v2 plays, the bot labels, training goes on), evaluate all three and
    /// random on held-out FashionGoTo and FashionGoToTest episodes, compare v3 with v1 (paired) and report.
    /// </summary>
    public static QuickstartOptions Vision() => new()
    {
        Dataset = null,
        Pretrain = [("experiments/quickstart/vision/tower.yaml", "quickstart-vision-tower")],
        Experiments = ["experiments/quickstart/vision/v1-symbolic.yaml", "experiments/quickstart/vision/v2-pixels.yaml",
            "experiments/quickstart/vision/v3-pixels-dagger.yaml"],
        Suite = "evals/vision/quickstart.yaml",
        ModelName = "quickstart-vision",
        ReportFolder = "reports/quickstart-vision",
        Title = "Workbench vision quickstart: pixels vs symbols on FashionGoTo",
    };
}

/// <summary>What the quickstart produced: the report, and the success rates it measured.</summary>
public sealed record QuickstartResult(
    ReportFiles Report, IReadOnlyList<(string Version, double Success, double Low, double High)> Success,
    double RandomSuccess, TimeSpan Elapsed, IReadOnlyDictionary<string, TimeSpan> Stages);

/// <summary>
/// The whole data flow once, end to end on CPU, as one readable workflow:
/// dataset → train the versions (symbolic: short, long; vision: symbols, pixels, pixels + DAgger) → register → evaluate
/// them and a random policy on the same seeded episodes → paired comparison of the last version with the first → HTML
/// report with learning curves and success rates (every other version and random beside them).
/// Every step is the same library call the CLI command for that stage makes.
/// </summary>
public sealed class QuickstartFlow(QuickstartOptions options)
{
    private readonly Dictionary<string, TimeSpan> _stages = [];

    private TextWriter Progress => options.ShowProgress ? options.ProgressWriter ?? Console.Error : TextWriter.Null;

    public QuickstartResult Run()
    {
        var total = Stopwatch.StartNew();
        var log = options.Log;

        // 1. Dataset: bot demonstrations to Parquet (skipped when this exact build is already there); pretrained towers.
        if (options.Dataset is { } dataset)
        {
            var card = Stage("dataset", () => DatasetBuilder.EnsureBuilt(dataset, Progress));
            log.WriteLine($"[1/5] dataset {card.Name}: {card.Episodes:N0} episodes, {card.Steps:N0} steps (fingerprint {card.Fingerprint[..12]})");
        }
        foreach (var (pretrain, name) in options.Pretrain)
        {
            var config = TrainingRecipes.Load(pretrain, options.PretrainOverrides);
            var result = Stage($"pretrain {name}", () =>
            {
                using var recipe = TrainingRecipes.Start(config, new BehaviourCloningRecipe.Options
                {
                    RunsRoot = options.RunsRoot, RegistryRoot = options.RegistryRoot, ShowProgress = options.ShowProgress,
                    ProgressWriter = options.ProgressWriter,
                });
                return recipe.Train();
            });
            ModelVersions.Register(result.RunDir, name, "v1", options.RegistryRoot, force: true);
            log.WriteLine($"[1/5] pretrained {name}@v1: {result.StepsCompleted} steps, test accuracy {Metric(result, "test_accuracy")} → {result.RunDir}");
        }

        // 2. Train each version and register it as <model>@v1, @v2, …
        var trained = new List<(string Version, TrainResult Result, LoadedConfig Config)>();
        for (int i = 0; i < options.Experiments.Count; i++)
        {
            string version = $"v{i + 1}";
            var overrides = options.ExperimentOverrides.Concat(i < options.OverridesPerExperiment.Count ? options.OverridesPerExperiment[i] : []);
            var config = ConfigLoader.LoadAs(typeof(ExperimentConfig), options.Experiments[i], overrides);
            var result = Stage($"train {version}", () =>
            {
                using var recipe = BehaviourCloningRecipe.Start(config, new BehaviourCloningRecipe.Options
                {
                    RunsRoot = options.RunsRoot, RegistryRoot = options.RegistryRoot, ShowProgress = options.ShowProgress,
                    ProgressWriter = options.ProgressWriter,
                });
                return recipe.Train();
            });
            ModelVersions.Register(result.RunDir, options.ModelName, version, options.RegistryRoot, force: true);
            trained.Add((version, result, config));
            log.WriteLine($"[2/5] trained {options.ModelName}@{version}: {result.StepsCompleted} steps, " +
                          $"val loss {Metric(result, "val_loss")} → {result.RunDir}");
        }

        // 3. Evaluate every version and a random policy on the same seeded episodes.
        var suite = Evaluation.LoadSuite(options.Suite, options.SuiteOverrides);
        var policies = trained.Select(t => $"{options.ModelName}@{t.Version}").Append("random").ToList();
        var summaries = new Dictionary<string, Evals.Scoring.SuiteSummary>();
        foreach (string spec in policies)
        {
            var id = PolicyId.Parse(spec);
            using var policy = CreatePolicy(id);
            var (_, summary) = Stage($"eval {spec}", () => Evaluation.Run(suite, policy, id, new EvalRunOptions
            {
                OutputPath = Evaluation.ResultPath(id.Spec, suite.Suite.Name, root: options.ResultsRoot),
                BatchSize = 256,
                Fresh = true,
                ProgressWriter = Progress,
            }));
            summaries[spec] = summary;
        }
        var success = policies.Select(p => (p, Estimate: summaries[p].Estimates.First(e => e.Metric == "success_rate"))).ToList();
        foreach (var (p, e) in success) log.WriteLine($"[3/5] {p}: success {e.Format()} over {e.Count} episodes");

        // 4. Paired comparison: the last version (candidate) against the first (baseline), same episodes.
        string baseline = policies[0], candidate = policies[trained.Count - 1];
        var comparison = Evaluation.Compare(suite, baseline, candidate, new ResultsOptions { Root = options.ResultsRoot, RegistryRoot = options.RegistryRoot });
        log.WriteLine($"[4/5] {candidate} vs {baseline}:");
        log.Write(comparison.Format());

        // 5. Report: learning curves, success rates with intervals, the comparison and gates, provenance.
        var files = Stage("report", () => VersionReport.Write(new VersionReportRequest
        {
            Title = options.Title,
            Suites = [options.Suite],
            SuiteOverrides = options.SuiteOverrides,
            Baseline = baseline,
            Candidate = candidate,
            Also = policies.Where(p => p != baseline && p != candidate).ToList(),
            Output = options.ReportFolder,
            ResultsRoot = options.ResultsRoot,
            RegistryRoot = options.RegistryRoot,
            Durations = new Dictionary<string, TimeSpan>(_stages),
        }));
        log.WriteLine($"[5/5] report: {Path.GetFullPath(files.Html)}");
        log.WriteLine($"      summary: {Path.GetFullPath(files.Markdown)}");

        return new QuickstartResult(files,
            success.Where(s => s.p != "random").Select(s => (s.p, s.Estimate.Value ?? double.NaN, s.Estimate.Low ?? double.NaN, s.Estimate.High ?? double.NaN)).ToList(),
            success.First(s => s.p == "random").Estimate.Value ?? double.NaN, total.Elapsed, _stages);
    }

    private IPolicy CreatePolicy(PolicyId id) => PolicyResolvers.Create(id, options.RegistryRoot);

    private T Stage<T>(string name, Func<T> work)
    {
        var clock = Stopwatch.StartNew();
        var result = work();
        _stages[name] = clock.Elapsed;
        return result;
    }

    private static string Metric(TrainResult result, string name) =>
        result.Metrics.TryGetValue(name, out double v) ? v.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : "n/a";
}
