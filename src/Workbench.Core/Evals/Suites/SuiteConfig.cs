using Workbench.Config;

namespace Workbench.Evals.Suites;

/// <summary>
/// Root of an eval suite file (<c>kind: suite</c>): a named, versioned group of tasks and the gates a version
/// must pass. Bump <see cref="Version"/> whenever a task changes (level, seeds, perturbation, scorers): results of
/// different suite versions are never compared or merged.
/// </summary>
[ConfigKind("suite")]
public sealed record SuiteConfig : IValidatable
{
    [RequiredKey, Doc("Suite name; results go to evals-out/<policy>/<name>.parquet")]
    public string Name { get; init; } = "";

    [RequiredKey, Doc("Bumped whenever a task changes; stored in every record")]
    [Range(1, double.PositiveInfinity)]
    public int Version { get; init; } = 1;

    [Doc("Free text shown in summaries")]
    public string Description { get; init; } = "";

    [Doc("Default episodes per seed for tasks that do not say (more than one ⇒ intervals cluster by seed)")]
    [Range(1, 1_000_000)]
    public int EpisodesPerSeed { get; init; } = 1;

    private readonly List<TaskConfig> _tasks = [];
    private readonly bool _tasksBound;

    [RequiredKey, Doc("The tasks: level + seeds + scorers (+ optional perturbation)")]
    public List<TaskConfig> Tasks
    {
        get => _tasks;
        init
        {
            _tasks = value;
            _tasksBound = true; // tasks that failed to bind are already reported; don't add follow-on errors
        }
    }

    [Doc("Regression gates checked by `workbench eval --gate`")]
    public GatesConfig Gates { get; init; } = new();

    public void Validate(string path, ConfigErrors errors)
    {
        errors.Require(Name.Length == 0 || Name.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.'),
            ConfigErrors.Join(path, "name"), "use letters, digits, '-', '_' or '.' (it becomes a file name)");
        if (!_tasksBound) return;
        errors.Require(Tasks.Count > 0, ConfigErrors.Join(path, "tasks"), "at least one task is required");
        foreach (var repeated in Tasks.GroupBy(t => t.Name).Where(g => g.Count() > 1))
            errors.Add(ConfigErrors.Join(path, "tasks"), $"task name '{repeated.Key}' is used {repeated.Count()} times");

        var definitions = Tasks.SelectMany(t => t.Scorers).Where(Scoring.ScorerRegistry.Exists)
            .SelectMany(s => Scoring.ScorerRegistry.Get(s).Metrics).DistinctBy(m => m.Name).ToDictionary(m => m.Name);
        var declared = definitions.Keys.ToHashSet();
        for (int i = 0; i < Gates.Absolute.Count; i++)
        {
            var gate = Gates.Absolute[i];
            string gatePath = ConfigErrors.Join(path, $"gates.absolute[{i}]");
            errors.Require(declared.Contains(gate.Metric), ConfigErrors.Join(gatePath, "metric"),
                $"'{gate.Metric}' is not a metric of this suite's scorers (declared: {string.Join(", ", declared.Order())})");
            // A rate (the mean of 0/1 grades) lies in [0, 1]: a threshold outside can never, or always, pass.
            if (definitions.TryGetValue(gate.Metric, out var metric) && metric is { Kind: Statistics.MetricKind.Binary, Summary: Scoring.MetricSummary.Mean })
            {
                foreach (var (key, value) in new[] { ("max", gate.Max), ("min", gate.Min) })
                    if (value is { } v)
                        errors.Require(v is >= 0 and <= 1, ConfigErrors.Join(gatePath, key),
                            $"{v} is outside [0, 1], but '{gate.Metric}' is a rate (a proportion of episodes)");
            }
            if (gate.Task != null)
                errors.Require(Tasks.Any(t => t.Name == gate.Task), ConfigErrors.Join(gatePath, "task"), $"no task named '{gate.Task}'");
        }
        for (int i = 0; i < Gates.NoSignificantDrop.Count; i++)
        {
            string metric = Gates.NoSignificantDrop[i];
            errors.Require(declared.Contains(metric), ConfigErrors.Join(path, $"gates.no_significant_drop[{i}]"),
                $"'{metric}' is not a metric of this suite's scorers");
        }
    }

    /// <summary>The episodes per seed a task runs (its own value, else the suite's default).</summary>
    public int EpisodesOf(TaskConfig task) => task.EpisodesPerSeed ?? EpisodesPerSeed;
}

/// <summary>One eval task: an environment level, the seeds it runs, and the scorers that grade its episodes.</summary>
public sealed record TaskConfig : IValidatable
{
    [RequiredKey, Doc("Task name, unique in the suite; stored in every record")]
    public string Name { get; init; } = "";

    [RequiredKey, Doc("Registered level (workbench levels list)")]
    public string Level { get; init; } = "";

    [RequiredKey, Doc("Environment seeds: {start: S, count: N} or {values: [..]}")]
    public SeedsConfig Seeds { get; init; } = new();

    [Doc("Episodes per seed (default: the suite's episodes_per_seed)")]
    [Range(1, 1_000_000)]
    public int? EpisodesPerSeed { get; init; }

    [RequiredKey, Doc("Scorers grading each episode; each declares its metrics (workbench config docs suite)")]
    public List<string> Scorers { get; init; } = [];

    [Doc("Optional robustness perturbation applied by the runner (paraphrase, observation noise, distractors, held-out combos)")]
    public PerturbationConfig? Perturbation { get; init; }

    public void Validate(string path, ConfigErrors errors)
    {
        errors.Require(Level.Length == 0 || Envs.LevelRegistry.Names.Contains(Level), ConfigErrors.Join(path, "level"),
            $"unknown level '{Level}' (levels: {string.Join(", ", Envs.LevelRegistry.Names)})");
        errors.Require(Scorers.Count > 0, ConfigErrors.Join(path, "scorers"), "at least one scorer is required");
        for (int i = 0; i < Scorers.Count; i++)
            errors.Require(Scoring.ScorerRegistry.Exists(Scorers[i]), ConfigErrors.Join(path, $"scorers[{i}]"),
                $"unknown scorer '{Scorers[i]}' (scorers: {string.Join(", ", Scoring.ScorerRegistry.Names)})");
        foreach (var repeated in Scorers.GroupBy(s => s).Where(g => g.Count() > 1))
            errors.Add(ConfigErrors.Join(path, "scorers"), $"scorer '{repeated.Key}' listed twice");
    }
}

/// <summary>Seeds of a task: a range (<c>start</c>, <c>count</c>) or an explicit list (<c>values</c>).</summary>
public sealed class SeedsConfig : IValidatable
{
    [Doc("First seed of a range")]
    [Range(0, double.PositiveInfinity)]
    public long? Start { get; init; }

    [Doc("Number of seeds in the range")]
    [Range(1, 10_000_000)]
    public int? Count { get; init; }

    [Doc("Explicit seeds (instead of start/count)")]
    public List<long>? Values { get; init; }

    public IReadOnlyList<long> Resolve() =>
        Values is { } v ? v : Enumerable.Range(0, Count ?? 0).Select(i => (Start ?? 0) + i).ToArray();

    public void Validate(string path, ConfigErrors errors)
    {
        bool range = Start != null || Count != null;
        if (Values != null)
        {
            errors.Require(!range, path, "give either values or start/count, not both");
            errors.Require(Values.Count > 0, ConfigErrors.Join(path, "values"), "at least one seed is required");
            errors.Require(Values.Distinct().Count() == Values.Count, ConfigErrors.Join(path, "values"), "seeds must be distinct");
        }
        else
        {
            errors.Require(Start != null && Count != null, path, "expected {start: S, count: N} or {values: [..]}");
        }
    }
}

/// <summary>Robustness perturbations, applied by the runner as wrappers over the observation and the mission.</summary>
public sealed class PerturbationConfig : IValidatable
{
    [Doc("Rewrite each mission with synonyms (\"go to\" ⇒ \"walk to\", \"pick up\" ⇒ \"grab\", …), fixed per episode")]
    public bool Paraphrase { get; init; }

    [Doc("Probability that a visible cell of the symbolic observation is replaced by a random object each step")]
    [Range(0, 1)]
    public double ObservationNoise { get; init; }

    [Doc("Phantom objects painted into the observation at free floor cells (not in the mission's target)")]
    [Range(0, 32)]
    public int ExtraDistractors { get; init; }

    [Doc("Keep only episodes whose mission names one of these colour–object combos (e.g. 'purple key'); seeds are scanned upwards from each configured seed")]
    public List<string> HeldOutCombos { get; init; } = [];

    public bool IsIdentity => !Paraphrase && ObservationNoise == 0 && ExtraDistractors == 0 && HeldOutCombos.Count == 0;

    public void Validate(string path, ConfigErrors errors)
    {
        for (int i = 0; i < HeldOutCombos.Count; i++)
        {
            string[] words = HeldOutCombos[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            errors.Require(words.Length == 2 && Enum.TryParse<Envs.Color>(words[0], true, out _) && Enum.TryParse<Envs.ObjectType>(words[1], true, out _),
                ConfigErrors.Join(path, $"held_out_combos[{i}]"), $"expected '<colour> <object>' like 'purple key', got '{HeldOutCombos[i]}'");
        }
    }
}

/// <summary>Thresholds a version must meet.</summary>
public sealed class GatesConfig
{
    [Doc("Absolute thresholds on a metric's point estimate, per task (e.g. harmful_compliance_rate max 0.01); the interval is reported")]
    public List<AbsoluteGateConfig> Absolute { get; init; } = [];

    [Doc("Metrics that must not drop significantly against --baseline (paired test, Holm-corrected)")]
    public List<string> NoSignificantDrop { get; init; } = [];
}

/// <summary><c>{metric: m, max: x}</c> or <c>{metric: m, min: x}</c>, optionally for one task (default: every task that has the metric).</summary>
public sealed class AbsoluteGateConfig : IValidatable
{
    [RequiredKey, Doc("Metric name")]
    public string Metric { get; init; } = "";

    [Doc("Only this task (default: every task that declares the metric)")]
    public string? Task { get; init; }

    [Doc("Fails when the value is above this")]
    public double? Max { get; init; }

    [Doc("Fails when the value is below this")]
    public double? Min { get; init; }

    public void Validate(string path, ConfigErrors errors) =>
        errors.Require((Max != null) != (Min != null), path, "give exactly one of max or min");
}
