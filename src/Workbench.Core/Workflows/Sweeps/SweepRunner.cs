using System.Diagnostics;
using Workbench.Config;
using Workbench.Evals;
using Workbench.Rollouts;
using Workbench.Evals.Records;
using Workbench.Evals.Runner;
using Workbench.Evals.Scoring;
using Workbench.Training;

namespace Workbench.Workflows.Sweeps;

/// <summary>Run options that are not part of the sweep file.</summary>
public sealed record SweepOptions
{
    public string RegistryRoot { get; init; } = ModelVersions.DefaultRoot;
    public bool ShowProgress { get; init; } = true;
    public TextWriter Log { get; init; } = Console.Out;

    /// <summary>Where progress bars and the training log echo go (null: stderr).</summary>
    public TextWriter? ProgressWriter { get; init; }
}

/// <summary>
/// A sweep run here, one run after another (a Slurm array task runs one of them with <see cref="RunOne"/>).
/// Each run, as a numbered script: skip it when its result is there for this exact experiment and suite;
/// 1. train — or resume the interrupted run of this config from its latest checkpoint, or reuse a finished one;
/// 2. register the best checkpoint as <c>&lt;register&gt;@&lt;run id&gt;</c> (or load it unregistered);
/// 3. evaluate it on the suite (resuming from the eval journal), or read the training metric;
/// 4. write <c>results/&lt;run id&gt;.json</c> last, which marks the run finished.
/// After all runs: the report (<see cref="SweepReport"/>).
/// </summary>
public sealed class SweepRunner(SweepPlan plan, SweepOptions? options = null)
{
    private readonly SweepOptions _options = options ?? new SweepOptions();

    /// <summary>Runs every unfinished run, then writes the report.</summary>
    public SweepReportFiles Run()
    {
        plan.Check();
        var suite = plan.Suite();
        var metric = plan.Metric(suite);
        foreach (var run in plan.Runs) RunOne(run, suite, metric);
        return SweepReport.Write(plan, _options.Log);
    }

    /// <summary>Runs the run at <paramref name="index"/> of the plan (what array task <c>index</c> does).</summary>
    public SweepResult RunOne(int index)
    {
        if (index < 0 || index >= plan.Runs.Count)
            throw new UserError($"--run {index}: the sweep {plan.Config.Name} has runs 0 … {plan.Runs.Count - 1}");
        var suite = plan.Suite();
        return RunOne(plan.Runs[index], suite, plan.Metric(suite));
    }

    /// <summary>The run's result when it is finished for this experiment config and suite; null otherwise.</summary>
    public static SweepResult? Finished(SweepPlan plan, SweepRun run, LoadedConfig experiment, LoadedSuite? suite) =>
        SweepResult.TryRead(plan.ResultPath(run)) is { } r && r.ExperimentSha256 == experiment.Sha256 && r.SuiteSha256 == suite?.Sha256 && r.Metric == plan.Config.Eval.Metric
            ? r : null;

    private SweepResult RunOne(SweepRun run, LoadedSuite? suite, MetricDefinition? metric)
    {
        var log = _options.Log;
        string label = $"[{run.Index + 1}/{plan.Runs.Count}] {run.Id}";
        var experiment = plan.Experiment(run);
        if (Finished(plan, run, experiment, suite) is { } done)
        {
            log.WriteLine($"{label}: finished before ({done.Metric} {done.Value:0.###}); skipped");
            return done;
        }

        // 1. Train, resume, or reuse a finished run directory of this exact config.
        var clock = Stopwatch.StartNew();
        var (runDir, trained) = TrainOrReuse(run, experiment, label);
        var info = RunDirectory.Open(runDir).ReadInfo();

        // 2. Register (or collect) the run's best checkpoint.
        string spec;
        if (plan.Config.Register is { } name)
        {
            spec = ModelVersions.Register(runDir, name, run.Id, _options.RegistryRoot, force: true).Reference;
            log.WriteLine($"{label}: registered {spec}");
        }
        else spec = new PolicyId(plan.Config.Name, run.Id).Spec;

        // 3. Evaluate, or read the training metric.
        double value;
        double? low = null, high = null;
        int episodes = 0;
        string method;
        string? evalFile = null;
        if (suite != null && metric != null)
        {
            evalFile = plan.EvalPath(run, suite.Suite.Name);
            var records = Evaluate(run, suite, spec, runDir, evalFile, fresh: trained);
            var estimate = SuiteSummary.Estimate("all", metric, records, null);
            value = estimate.Value ?? throw new UserError($"{label}: {metric.Name} could not be estimated ({estimate.Note})");
            (low, high, episodes, method) = (estimate.Low, estimate.High, estimate.Count, estimate.Method);
        }
        else
        {
            var metrics = info.FinalMetrics ?? new Dictionary<string, double>();
            value = metrics.TryGetValue(plan.Config.Eval.Metric, out double v) ? v
                : throw new UserError($"{label}: the run's final metrics have no '{plan.Config.Eval.Metric}' (they have: {string.Join(", ", metrics.Keys.Order())}); " +
                                      "set eval.metric to one of them, or eval.suite to evaluate the runs");
            method = "final training metric";
        }

        // 4. The result, written last: from now on the run counts as finished.
        var result = new SweepResult
        {
            RunId = run.Id, Index = run.Index, Point = run.Point, Values = run.Values, Seed = run.Seed, Series = run.Series, X = run.X,
            Overrides = run.Overrides, ExperimentSha256 = experiment.Sha256, Suite = plan.Config.Eval.Suite, SuiteSha256 = suite?.Sha256,
            RunDir = runDir, TrainStatus = info.Status, Steps = info.StepsCompleted,
            TrainSeconds = info.FinalMetrics?.TryGetValue("train_seconds", out double s) == true ? s : null,
            Model = spec, Metric = plan.Config.Eval.Metric, Value = value, Low = low, High = high, Episodes = episodes, Method = method,
            EvalFile = evalFile, Finished = DateTimeOffset.UtcNow,
        };
        result.Save(plan.ResultPath(run));
        log.WriteLine($"{label}: {result.Metric} {value:0.###}" + (low is { } l && high is { } h ? $" [{l:0.###}, {h:0.###}]" : "") +
                      (episodes > 0 ? $" over {episodes} episodes" : "") + $" ({clock.Elapsed.TotalSeconds:0} s)");
        return result;
    }

    /// <summary>The run directory of this run's config: a finished one is reused, an interrupted one resumed, else a new one trained.</summary>
    private (string RunDir, bool Trained) TrainOrReuse(SweepRun run, LoadedConfig experiment, string label)
    {
        string root = plan.RunsRoot(run);
        var experimentName = ((ExperimentConfig)experiment.Value).Name;
        var candidates = Directory.Exists(Path.Combine(root, experimentName))
            ? Directory.GetDirectories(Path.Combine(root, experimentName)).Order(StringComparer.Ordinal).Reverse()
                .Where(d => File.Exists(Path.Combine(d, "config.sha256")) && File.ReadAllText(Path.Combine(d, "config.sha256")).Trim() == experiment.Sha256)
                .Select(RunDirectory.Open).ToList()
            : [];
        if (candidates.FirstOrDefault(d => d.ReadInfo().Status is "completed" or "early_stopped") is { } finished)
        {
            _options.Log.WriteLine($"{label}: trained before → {finished.Path}");
            return (finished.Path, false);
        }
        var recipeOptions = new BehaviourCloningRecipe.Options
        {
            RunsRoot = root, RegistryRoot = _options.RegistryRoot, ShowProgress = _options.ShowProgress, ProgressWriter = _options.ProgressWriter,
        };
        var interrupted = candidates.FirstOrDefault(d => d.LatestCheckpoint != null);
        _options.Log.WriteLine(interrupted is null ? $"{label}: training ({string.Join(" ", run.Overrides.Select(o => "--set " + o))})"
            : $"{label}: resuming {interrupted.Path} from {Path.GetFileName(interrupted.LatestCheckpoint)}");
        using var recipe = interrupted is null ? BehaviourCloningRecipe.Start(experiment, recipeOptions) : BehaviourCloningRecipe.Resume(interrupted.Path, recipeOptions);
        var result = recipe.Train();
        if (result.Status is not ("completed" or "early_stopped"))
            throw new UserError($"{label}: training ended '{result.Status}' in {result.RunDir}; run the sweep again to resume it");
        return (result.RunDir, true);
    }

    private IReadOnlyList<EpisodeRecord> Evaluate(SweepRun run, LoadedSuite suite, string spec, string runDir, string output, bool fresh)
    {
        // A complete eval of this policy and suite content is reused unless the model was (re)trained just now.
        if (!fresh && File.Exists(output) && EpisodeRecordFile.ReadInfo(output) is { Shard: "1/1" } info && info.SuiteSha256 == suite.Sha256 && info.Policy == spec)
            return EpisodeRecordFile.Read(output);
        var id = PolicyId.Parse(spec);
        var model = plan.Config.Register != null
            ? ModelVersions.Resolve(spec, _options.RegistryRoot)
            : Checkpoint.LoadModel(RunDirectory.Open(runDir) is var dir && dir.BestCheckpoint is { } best ? best : dir.LatestCheckpoint!, _options.RegistryRoot);
        using var policy = new ModelPolicy(spec, model);
        _options.Log.WriteLine($"[{run.Index + 1}/{plan.Runs.Count}] {run.Id}: evaluating {spec} on {suite.Suite.Name}");
        return Evaluation.Run(suite, policy, id, new EvalRunOptions
        {
            OutputPath = output, BatchSize = plan.Config.Eval.BatchSize, Fresh = fresh,
            ProgressWriter = _options.ShowProgress ? _options.ProgressWriter : TextWriter.Null,
        }).Run.Records;
    }
}
