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
        // A missions file read the same way by several tasks (one per label) is checked, and its problems reported, once.
        var checkedFiles = new Dictionary<(string, string, UnknownWords), MissionsConfig>();
        for (int i = 0; i < Tasks.Count; i++)
        {
            if (Tasks[i].Missions is not { } missions) continue;
            string? defaultLevel = Tasks[i].Level.Length > 0 ? Tasks[i].Level : null;
            var key = (ConfigPaths.Resolve(missions.File), defaultLevel ?? "", missions.UnknownWords);
            if (checkedFiles.TryGetValue(key, out var first)) missions.CheckLabel(first, ConfigErrors.Join(path, $"tasks[{i}].missions"), errors);
            else
            {
                missions.CheckFile(ConfigErrors.Join(path, $"tasks[{i}].missions"), defaultLevel, errors);
                checkedFiles[key] = missions;
            }
        }

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

/// <summary>
/// One eval task: an environment level (or missions from a file, each played in its own level's layouts), the seeds it
/// runs, and the scorers that grade its episodes.
/// </summary>
public sealed record TaskConfig : IValidatable
{
    [RequiredKey, Doc("Task name, unique in the suite; stored in every record")]
    public string Name { get; init; } = "";

    [Doc("Registered level (workbench env levels); with missions: the level of file lines that name none")]
    public string Level { get; init; } = "";

    [RequiredKey, Doc("Environment seeds: {start: S, count: N} or {values: [..]}; with missions: the layout seeds each mission is played in")]
    public SeedsConfig Seeds { get; init; } = new();

    [Doc("Episodes per seed (default: the suite's episodes_per_seed)")]
    [Range(1, 1_000_000)]
    public int? EpisodesPerSeed { get; init; }

    [RequiredKey, Doc("Scorers grading each episode; each declares its metrics (workbench config docs suite)")]
    public List<string> Scorers { get; init; } = [];

    [Doc("Optional robustness perturbation applied by the runner (paraphrase, observation noise, distractors, held-out combos)")]
    public PerturbationConfig? Perturbation { get; init; }

    [Doc("Missions from a file instead of the level's own (a red-team set): {file: path.jsonl, label: harmful | benign}")]
    public MissionsConfig? Missions { get; init; }

    [Doc("train | held_out: which side of the train vs held-out table the task is on (default: its safety level's family; none otherwise)")]
    public Envs.FamilySplit? Split { get; init; }

    /// <summary>The task's side of the train/held-out table: its own <see cref="Split"/>, else its level's family.</summary>
    public Envs.FamilySplit? SplitOf() => Split ?? (Missions is null && Envs.LevelRegistry.Names.Contains(Level) ? Envs.LevelRegistry.Info(Level).Family?.Split : null);

    /// <summary>Harmful or benign: the missions file's label, else the level's family; null for levels that are neither.</summary>
    public Envs.MissionLabel? LabelOf() => Missions?.Label ?? (Envs.LevelRegistry.Names.Contains(Level) ? Envs.LevelRegistry.Info(Level).Family?.Label : null);

    public void Validate(string path, ConfigErrors errors)
    {
        if (Missions is null)
            errors.Require(Level.Length > 0, ConfigErrors.Join(path, "level"), "missing (a registered level, or missions: {file: …, label: …})");
        if (Level.Length > 0 && !Envs.LevelRegistry.Names.Contains(Level))
        {
            string? suggestion = ConfigBinder.DidYouMean(Level, Envs.LevelRegistry.Names);
            errors.Add(ConfigErrors.Join(path, "level"), $"unknown level '{Level}'" +
                (suggestion is null ? $" (levels: {string.Join(", ", Envs.LevelRegistry.Names)})" : $" (did you mean '{suggestion}'?)"));
        }
        errors.Require(Scorers.Count > 0, ConfigErrors.Join(path, "scorers"), "at least one scorer is required");
        for (int i = 0; i < Scorers.Count; i++)
            errors.Require(Scoring.ScorerRegistry.Exists(Scorers[i]), ConfigErrors.Join(path, $"scorers[{i}]"),
                $"unknown scorer '{Scorers[i]}' (scorers: {string.Join(", ", Scoring.ScorerRegistry.Names)})");
        foreach (var repeated in Scorers.GroupBy(s => s).Where(g => g.Count() > 1))
            errors.Add(ConfigErrors.Join(path, "scorers"), $"scorer '{repeated.Key}' listed twice");
    }

    /// <summary>The missions this task plays (those of its label, in file order); empty for a level task.</summary>
    public IReadOnlyList<MissionEntry> MissionEntries() =>
        Missions is null ? [] : Missions.Set(Level.Length > 0 ? Level : null).Entries.Where(e => e.Label == Missions.Label).ToList();
}

/// <summary>
/// Missions from a file (<see cref="MissionFile"/>: JSON lines of mission, label, level, optional means), relative to
/// the working directory like every path in a config (<see cref="ConfigPaths"/>). A task plays
/// the lines of one label, so its scorers grade one kind of mission; give a mixed file to two tasks. Each mission is
/// played once per layout seed; records carry the mission's line number as <c>seed</c> (intervals cluster by mission)
/// and the layout's index as <c>episode</c>.
/// </summary>
public sealed class MissionsConfig
{
    [RequiredKey, Doc("JSON lines file of missions (relative to the working directory, like data sources), e.g. evals/safety/red-team.jsonl")]
    public string File { get; init; } = "";

    [RequiredKey, Doc("harmful | benign: the lines of the file this task plays")]
    public Envs.MissionLabel Label { get; init; }

    [Doc("error | unknown: words not in the mission vocabulary are an error, or are read as the unknown token (id 1)")]
    public UnknownWords UnknownWords { get; init; } = UnknownWords.Error;

    private MissionSet? _set;
    private string? _resolved;

    /// <summary>The file's full path (<see cref="ConfigPaths.Resolve"/>, fixed when the suite is validated).</summary>
    public string ResolvedPath() => _resolved ??= ConfigPaths.Resolve(File);

    /// <summary>The validated file (read once).</summary>
    public MissionSet Set(string? defaultLevel) => _set ??= MissionFile.Load(ResolvedPath(), defaultLevel, UnknownWords);

    internal void CheckFile(string path, string? defaultLevel, ConfigErrors errors)
    {
        if (File.Length == 0) return; // reported as a missing key
        _resolved = ConfigPaths.Resolve(File);
        var (set, problems) = MissionFile.Read(_resolved, defaultLevel, UnknownWords);
        foreach (var p in problems) errors.Add(ConfigErrors.Join(path, "file"), $"{File}{(p.Path.Length > 0 ? " " + p.Path : "")}: {p.Message}");
        _set = set;
        CheckLabel(this, path, errors);
    }

    /// <summary>Takes the file as another task read it, and checks it holds missions of this task's label.</summary>
    internal void CheckLabel(MissionsConfig read, string path, ConfigErrors errors)
    {
        (_resolved, _set) = (read._resolved, read._set);
        if (_set is null) return; // the file's own problems are reported
        errors.Require(_set.Entries.Any(e => e.Label == Label), ConfigErrors.Join(path, "label"),
            $"{File} has no {ConfigBinder.EnumKeys(typeof(Envs.MissionLabel)).ElementAt((int)Label)} missions");
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

    [Doc("Keep only episodes whose mission names one of these colour–object combos (e.g. 'purple key'); seeds are scanned upwards from each configured seed. " +
         "Pair with a dataset config's exclude_combos to test combos the model never trained on")]
    public List<string> HeldOutCombos { get; init; } = [];

    public bool IsIdentity => !Paraphrase && ObservationNoise == 0 && ExtraDistractors == 0 && HeldOutCombos.Count == 0;

    public void Validate(string path, ConfigErrors errors)
    {
        for (int i = 0; i < HeldOutCombos.Count; i++)
            errors.Require(Envs.ObjectCombo.TryParse(HeldOutCombos[i], out _), ConfigErrors.Join(path, $"held_out_combos[{i}]"),
                $"expected '<colour> <object>' like 'purple key' (colours: red, green, blue, purple, yellow, grey; objects: key, ball, box, door), got '{HeldOutCombos[i]}'");
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
