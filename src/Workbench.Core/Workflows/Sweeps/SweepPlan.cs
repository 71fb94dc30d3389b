using System.Globalization;
using Workbench.Config;
using Workbench.Evals;
using Workbench.Evals.Scoring;
using Workbench.Training;

namespace Workbench.Workflows.Sweeps;

/// <summary>
/// One training run of a sweep: a point (one value per axis) and a seed. <see cref="Index"/> is its place in the plan
/// (what a Slurm array task is given); <see cref="Id"/> names its folders and its registered version.
/// </summary>
public sealed record SweepRun(int Index, string Id, string Point, IReadOnlyDictionary<string, string> Values, long Seed,
    IReadOnlyList<string> Overrides, string Series, double? X);

/// <summary>
/// A sweep file expanded into its runs, and where each run's outputs live under <c>&lt;output_dir&gt;/&lt;name&gt;/</c>:
/// <c>runs/&lt;run id&gt;/</c> (the run directory), <c>evals/&lt;run id&gt;/</c> (its eval), <c>results/&lt;run id&gt;.json</c>
/// (written last: the run is finished), and the report files beside them.
/// Runs are ordered seed by seed, each seed over every point, so seeds appended later keep the earlier indices.
/// </summary>
public sealed class SweepPlan
{
    public const string ValuePlaceholder = "{value}";

    public string File { get; }
    public SweepConfig Config { get; }
    public IReadOnlyList<string> Overrides { get; }
    public IReadOnlyList<SweepRun> Runs { get; }
    public string Folder { get; }

    private SweepPlan(string file, SweepConfig config, IReadOnlyList<string> overrides)
    {
        (File, Config, Overrides) = (file, config, overrides);
        Folder = Path.Combine(config.OutputDir, config.Name);
        Runs = Expand(config);
    }

    /// <summary>Loads and validates a sweep file (<paramref name="overrides"/> as <c>--set</c> on the sweep itself).</summary>
    public static SweepPlan Load(string path, IEnumerable<string>? overrides = null)
    {
        var list = overrides?.ToList() ?? [];
        return new SweepPlan(path, (SweepConfig)ConfigLoader.LoadAs(typeof(SweepConfig), path, list).Value, list);
    }

    public string RunsRoot(SweepRun run) => Path.Combine(Folder, "runs", run.Id);
    public string EvalPath(SweepRun run, string suiteName) => Path.Combine(Folder, "evals", run.Id, suiteName + ".parquet");
    public string ResultPath(SweepRun run) => Path.Combine(Folder, "results", run.Id + ".json");

    /// <summary>The run's experiment: the base file with the sweep's overrides, the point's, then its seed.</summary>
    public LoadedConfig Experiment(SweepRun run) => ConfigLoader.LoadAs(typeof(ExperimentConfig), ConfigPaths.Resolve(Config.Experiment), run.Overrides);

    public LoadedSuite? Suite() => Config.Eval.Suite is { } suite ? Evaluation.LoadSuite(ConfigPaths.Resolve(suite), episodesPerSeed: Config.Eval.Episodes) : null;

    /// <summary>The metric's definition in the suite's scorers; null without a suite (the metric is a training metric).</summary>
    public MetricDefinition? Metric(LoadedSuite? suite)
    {
        if (suite is null) return null;
        var metrics = ScorerRegistry.MetricsOf(suite.Suite.Tasks.SelectMany(t => t.Scorers).Distinct());
        return metrics.FirstOrDefault(m => m.Name == Config.Eval.Metric && m.IsPerEpisode)
            ?? throw new UserError($"{File}: eval.metric '{Config.Eval.Metric}' is not a per-episode metric of suite {suite.Suite.Name} " +
                                   $"(its metrics: {string.Join(", ", metrics.Where(m => m.IsPerEpisode).Select(m => m.Name).Distinct())})");
    }

    /// <summary>Loads every run's experiment config, the suite and the metric, so a mistake shows before hours of training.</summary>
    public void Check()
    {
        var problems = new List<string>();
        foreach (var run in Runs)
        {
            try
            {
                Experiment(run);
            }
            catch (UserError e)
            {
                problems.Add($"run {run.Index} ({run.Id}): {e.Message}");
            }
        }
        if (problems.Count > 0)
            throw new UserError($"{File}: {problems.Count} of {Runs.Count} runs have a bad experiment config:{Environment.NewLine}  " +
                                string.Join(Environment.NewLine + "  ", problems.Take(5)) + (problems.Count > 5 ? $"{Environment.NewLine}  …" : ""));
        Metric(Suite());
    }

    private static List<SweepRun> Expand(SweepConfig config)
    {
        var points = config.Points.Count > 0
            ? config.Points.Select(p => config.Axes.Select(a => p[a.Name]).ToList()).ToList()
            : config.Axes.Aggregate(new List<List<string>> { new() }, (acc, axis) => acc.SelectMany(p => axis.Values.Select(v => p.Append(v).ToList())).ToList());
        var x = config.XAxis;
        var runs = new List<SweepRun>();
        foreach (long seed in config.Seeds)
        {
            foreach (var values in points)
            {
                var byAxis = config.Axes.Zip(values).ToDictionary(p => p.First.Name, p => p.Second);
                string point = string.Join('_', config.Axes.Zip(values).Select(p => $"{p.First.Name}-{Label(p.Second)}"));
                var overrides = config.Set.Concat(config.Axes.Zip(values).SelectMany(p => p.First.OverridesFor(p.Second)))
                    .Append($"seed={seed.ToString(CultureInfo.InvariantCulture)}").ToList();
                var others = config.Axes.Where(a => a != x).Select(a => $"{a.Name}={byAxis[a.Name]}").ToList();
                double? xValue = x != null && double.TryParse(byAxis[x.Name], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : null;
                runs.Add(new SweepRun(runs.Count, $"{point}_seed-{seed.ToString(CultureInfo.InvariantCulture)}", point, byAxis, seed, overrides,
                    others.Count > 0 ? string.Join(", ", others) : "all", xValue));
            }
        }
        return runs;
    }

    /// <summary>An axis value as a file-name-safe label.</summary>
    private static string Label(string value) =>
        new(value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-').ToArray());
}
