namespace Workbench.Config;

/// <summary>One problem found in a config, with its dotted path (e.g. <c>train.lr</c>).</summary>
public sealed record ConfigProblem(string Path, string Message)
{
    public override string ToString() => string.IsNullOrEmpty(Path) ? Message : $"{Path}: {Message}";
}

/// <summary>Collects every problem of a config tree so they are reported at once, not one per run.</summary>
public sealed class ConfigErrors
{
    private readonly List<ConfigProblem> _problems = [];
    public IReadOnlyList<ConfigProblem> Problems => _problems;
    public bool Any => _problems.Count > 0;

    public void Add(string path, string message) => _problems.Add(new ConfigProblem(path, message));

    /// <summary>Adds a problem when <paramref name="condition"/> is false.</summary>
    public void Require(bool condition, string path, string message)
    {
        if (!condition) Add(path, message);
    }

    public static string Join(string parent, string child) =>
        string.IsNullOrEmpty(parent) ? child : child.StartsWith('[') ? parent + child : $"{parent}.{child}";
}

/// <summary>Thrown when a config has problems; the message lists all of them, each with its path.</summary>
public sealed class ConfigException(string file, IReadOnlyList<ConfigProblem> problems)
    : UserError(Format(file, problems))
{
    public string File { get; } = file;
    public IReadOnlyList<ConfigProblem> Problems { get; } = problems;

    private static string Format(string file, IReadOnlyList<ConfigProblem> problems) =>
        $"{file}: {problems.Count} problem{(problems.Count == 1 ? "" : "s")}:" +
        string.Concat(problems.Select(p => $"{Environment.NewLine}  {p}"));
}
