using System.Globalization;
using Workbench.Config;

namespace Workbench.Workflows.Sweeps;

/// <summary>
/// Root of a sweep file (<c>kind: sweep</c>): a base experiment trained at every point of a grid of overrides (or
/// a listed subset of it), once per seed; every run registered (or collected) and evaluated; one table and one
/// plot of the metric against the swept value, with intervals across seeds. See experiments/sweeps/.
/// </summary>
[ConfigKind("sweep")]
[Doc("Sweep: a base experiment trained at every point of a grid (or list) of overrides, once per seed; each run evaluated; one table and plot")]
public sealed class SweepConfig : IValidatable
{
    [RequiredKey, Doc("Sweep name; results go to <output_dir>/<name>/")]
    public string Name { get; init; } = "";

    [Doc("Free text shown in the report")]
    public string Description { get; init; } = "";

    [RequiredKey, Doc("Base experiment file (kind: experiment), relative to the working directory")]
    public string Experiment { get; init; } = "";

    [Doc("Overrides (key=value, as train --set) applied to every run before the swept ones")]
    public List<string> Set { get; init; } = [];

    [Doc("Training seeds: every point is trained once per seed (sets the experiment's seed)")]
    public List<long> Seeds { get; init; } = [1];

    private readonly List<SweepAxis> _axes = [];
    private bool _axesBound;

    [RequiredKey, Doc("Swept axes; the runs are every combination of their values, unless points lists some")]
    public List<SweepAxis> Axes
    {
        get => _axes;
        init
        {
            _axes = value;
            _axesBound = true; // axes that failed to bind are already reported; checks against them would only add noise
        }
    }

    [Doc("Run only these points instead of the whole grid: each maps every axis name to one of its values")]
    public List<Dictionary<string, string>> Points { get; init; } = [];

    public SweepEvalSection Eval { get; init; } = new();

    [Doc("Register every run in the model registry as <register>@<run id>; empty: evaluate each run's best checkpoint unregistered")]
    public string? Register { get; init; }

    public SweepReportSection Report { get; init; } = new();

    [Doc("Folder of sweep results: <output_dir>/<name>/ holds runs/, evals/, results/, the table, the plot and slurm/")]
    public string OutputDir { get; init; } = "sweeps";

    public void Validate(string path, ConfigErrors errors)
    {
        errors.Require(Name.Length == 0 || SafeName(Name), ConfigErrors.Join(path, "name"), "use letters, digits, '-', '_' or '.' (it becomes a folder name)");
        errors.Require(Seeds.Count > 0, ConfigErrors.Join(path, "seeds"), "at least one seed is required");
        foreach (var dup in Seeds.GroupBy(s => s).Where(g => g.Count() > 1))
            errors.Add(ConfigErrors.Join(path, "seeds"), $"seed {dup.Key} is listed {dup.Count()} times");
        for (int i = 0; i < Set.Count; i++)
            errors.Require(Set[i].Contains('='), ConfigErrors.Join(path, $"set[{i}]"), $"'{Set[i]}': expected key.path=value");
        if (Register is { } register)
            errors.Require(SafeName(register), ConfigErrors.Join(path, "register"), "use letters, digits, '-', '_' or '.' (it becomes a registry name)");
        errors.Require(!string.IsNullOrWhiteSpace(OutputDir), ConfigErrors.Join(path, "output_dir"), "must not be empty");
        if (Experiment.Length > 0)
            errors.Require(File.Exists(ConfigPaths.Resolve(Experiment)), ConfigErrors.Join(path, "experiment"), $"no such file '{Experiment}' (relative to {ConfigPaths.BaseDirectory})");
        if (Eval.Suite is { } suite)
            errors.Require(File.Exists(ConfigPaths.Resolve(suite)), ConfigErrors.Join(path, "eval.suite"), $"no such file '{suite}' (relative to {ConfigPaths.BaseDirectory})");
        if (!_axesBound) return;
        errors.Require(Axes.Count > 0, ConfigErrors.Join(path, "axes"), "at least one axis is required");
        foreach (var dup in Axes.GroupBy(a => a.Name).Where(g => g.Count() > 1))
            errors.Add(ConfigErrors.Join(path, "axes"), $"axis '{dup.Key}' is defined {dup.Count()} times");
        foreach (var reserved in Axes.Where(a => SweepTable.FixedColumns.Contains(a.Name)))
            errors.Add(ConfigErrors.Join(path, "axes"), $"axis name '{reserved.Name}' is a column of the sweep table; pick another");

        var byName = Axes.GroupBy(a => a.Name).ToDictionary(g => g.Key, g => g.First());
        for (int i = 0; i < Points.Count; i++)
        {
            string pointPath = ConfigErrors.Join(path, $"points[{i}]");
            foreach (var (axis, value) in Points[i])
            {
                if (!byName.TryGetValue(axis, out var a)) errors.Add(ConfigErrors.Join(pointPath, axis), $"no axis named '{axis}' (axes: {string.Join(", ", byName.Keys)})");
                else errors.Require(a.Values.Contains(value), ConfigErrors.Join(pointPath, axis), $"'{value}' is not one of the axis's values ({string.Join(", ", a.Values)})");
            }
            foreach (string missing in byName.Keys.Except(Points[i].Keys))
                errors.Add(pointPath, $"gives no value for axis '{missing}'");
        }
        foreach (var dup in Points.GroupBy(p => string.Join('\u001f', Axes.Select(a => p.GetValueOrDefault(a.Name, "")))).Where(g => g.Count() > 1))
            errors.Add(ConfigErrors.Join(path, "points"), "the same point is listed more than once");

        if (Report.X is { } x && !byName.ContainsKey(x))
            errors.Add(ConfigErrors.Join(path, "report.x"), $"no axis named '{x}' (axes: {string.Join(", ", byName.Keys)})");
        if (XAxis is { } xAxis && (Report.LogX || Report.Threshold != null))
        {
            bool numeric = xAxis.Values.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            errors.Require(numeric, ConfigErrors.Join(path, "report"), $"log_x and threshold need numeric values on axis '{xAxis.Name}'");
            if (numeric && Report.LogX)
                errors.Require(xAxis.Values.All(v => double.Parse(v, CultureInfo.InvariantCulture) > 0), ConfigErrors.Join(path, "report.log_x"),
                    $"axis '{xAxis.Name}' has values ≤ 0, which have no logarithm");
        }
    }

    /// <summary>The axis plotted on x (and along which a threshold crossing is read): report.x, else the last axis.</summary>
    public SweepAxis? XAxis => Report.X is { } x ? Axes.FirstOrDefault(a => a.Name == x) : Axes.LastOrDefault();

    internal static bool SafeName(string s) => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}

/// <summary>One swept dimension: its values and the overrides each value applies.</summary>
public sealed class SweepAxis : IValidatable
{
    [RequiredKey, Doc("Axis name (a column of the table; also the experiment key it sets when key and set are empty)")]
    public string Name { get; init; } = "";

    [Doc("Experiment key the value sets (key=value), e.g. train.lr; default: the axis name. Ignored when set is given")]
    public string? Key { get; init; }

    [RequiredKey, Doc("Values, in plot order (numbers or words)")]
    public List<string> Values { get; init; } = [];

    [Doc("Overrides per value with {value} replaced, for values that set a list or more than one key, e.g. \"data.sources=[{path: 'bot:GoToLocal:{value}'}]\"")]
    public List<string> Set { get; init; } = [];

    [Doc("Overrides of particular values, by value (they replace key/set for that value), e.g. {film: [model.family=babyai_film, model.size=base]}")]
    public Dictionary<string, List<string>> Overrides { get; init; } = [];

    public void Validate(string path, ConfigErrors errors)
    {
        errors.Require(Name.Length == 0 || SweepConfig.SafeName(Name), ConfigErrors.Join(path, "name"), "use letters, digits, '-', '_' or '.'");
        errors.Require(Values.Count > 0, ConfigErrors.Join(path, "values"), "at least one value is required");
        foreach (var dup in Values.GroupBy(v => v).Where(g => g.Count() > 1))
            errors.Add(ConfigErrors.Join(path, "values"), $"'{dup.Key}' is listed {dup.Count()} times");
        for (int i = 0; i < Set.Count; i++)
            errors.Require(Set[i].Contains('=') && Set[i].Contains(SweepPlan.ValuePlaceholder), ConfigErrors.Join(path, $"set[{i}]"),
                $"'{Set[i]}': expected key.path=value containing {SweepPlan.ValuePlaceholder}");
        foreach (var (value, overrides) in Overrides)
        {
            errors.Require(Values.Contains(value), ConfigErrors.Join(path, $"overrides.{value}"), $"'{value}' is not one of the axis's values ({string.Join(", ", Values)})");
            for (int i = 0; i < overrides.Count; i++)
                errors.Require(overrides[i].Contains('='), ConfigErrors.Join(path, $"overrides.{value}[{i}]"), $"'{overrides[i]}': expected key.path=value");
        }
    }

    /// <summary>The --set overrides that put this axis at <paramref name="value"/>: its own overrides, else the set templates, else key=value.</summary>
    public IReadOnlyList<string> OverridesFor(string value) =>
        Overrides.TryGetValue(value, out var own) ? own
        : Set.Count > 0 ? Set.Select(s => s.Replace(SweepPlan.ValuePlaceholder, value, StringComparison.Ordinal)).ToList()
        : [$"{Key ?? Name}={value}"];
}

public sealed class SweepEvalSection
{
    [Doc("Suite each run is evaluated on (kind: suite); empty: read the metric from each run's final training metrics")]
    public string? Suite { get; init; }

    [Doc("Metric of the table and plot: a metric of the suite's scorers (e.g. success_rate), or without a suite a final training metric (e.g. best_val_success)")]
    public string Metric { get; init; } = "success_rate";

    [Doc("Episodes per seed for every suite task (like eval --episodes); empty: the suite's own")]
    [Range(1, 1_000_000)]
    public int? Episodes { get; init; }

    [Doc("Episodes stepped in lockstep during evaluation")]
    [Range(1, 100_000)]
    public int BatchSize { get; init; } = 64;
}

public sealed class SweepReportSection
{
    [Doc("Axis on the plot's x axis and of the threshold crossing; default: the last axis. The other axes make the series")]
    public string? X { get; init; }

    [Doc("Logarithmic x (base 2): the plot's axis, and the scale the threshold crossing is interpolated on (as BabyAI does with demonstration counts)")]
    public bool LogX { get; init; }

    [Doc("Estimate where the metric first reaches this value along x, per series (Gaussian-process interpolation as in BabyAI, ICLR 2019), e.g. 0.99")]
    [Range(0, double.PositiveInfinity)]
    public double? Threshold { get; init; }

    [Doc("Reference numbers printed beside the crossing estimates, by series (e.g. a paper's), or under \"all\" for every series")]
    public Dictionary<string, string> Reference { get; init; } = [];
}
