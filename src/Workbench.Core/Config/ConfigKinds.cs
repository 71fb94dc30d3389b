namespace Workbench.Config;

/// <summary>
/// Every kind of config file Workbench reads, by the value of its top-level <c>kind:</c> key. The registry
/// drives <c>workbench validate</c>, <c>workbench config docs</c> and the test that validates every shipped file.
/// </summary>
public static class ConfigKinds
{
    public const string KindKey = "kind";

    private static readonly Dictionary<string, Type> Kinds = new()
    {
        ["experiment"] = typeof(Training.ExperimentConfig),
        ["suite"] = typeof(Evals.Suites.SuiteConfig),
        ["nightly"] = typeof(Reporting.NightlyConfig),
        ["dataset"] = typeof(Data.DatasetRecipe),
        ["sweep"] = typeof(Workflows.Sweeps.SweepConfig),
    };

    public static IReadOnlyDictionary<string, Type> All => Kinds;

    public static Type TypeOf(string kind, string file) =>
        Kinds.TryGetValue(kind, out var type)
            ? type
            : throw new ConfigException(file, [new ConfigProblem(KindKey, $"unknown kind '{kind}' (expected one of {string.Join(", ", Kinds.Keys)})")]);

    public static string KindOf(Type type) => Kinds.First(k => k.Value == type).Key;
}
