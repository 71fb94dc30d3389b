using Workbench.Config;

namespace Workbench.Workflows;

/// <summary>
/// Every kind of config file Workbench reads, by the value of its top-level <c>kind:</c> key. The table lives here, on
/// top of the layers, because it names a record of every stage; the config layer itself only reads
/// <see cref="ConfigKindAttribute"/>. It drives <c>workbench validate</c>, <c>workbench config docs</c> and the test that
/// validates every shipped file.
/// </summary>
public static class ConfigKinds
{
    private static readonly Dictionary<string, Type> Kinds = new[]
    {
        typeof(Training.ExperimentConfig),
        typeof(Training.ImageClassifierConfig),
        typeof(Evals.Suites.SuiteConfig),
        typeof(Reporting.NightlyConfig),
        typeof(Data.DatasetConfig),
        typeof(Sweeps.SweepConfig),
    }.ToDictionary(ConfigKindAttribute.Of);

    public static IReadOnlyDictionary<string, Type> All => Kinds;

    /// <summary>Loads a file of any registered kind (its <c>kind:</c> picks the record type).</summary>
    public static LoadedConfig Load(string path, IEnumerable<string>? overrides = null) => ConfigLoader.LoadAny(path, Kinds, overrides);

    /// <summary>The record type of a kind; a clear error listing the kinds otherwise.</summary>
    public static Type TypeOf(string kind) =>
        Kinds.TryGetValue(kind, out var type) ? type : throw new UserError($"unknown config kind '{kind}' (expected one of {string.Join(", ", Kinds.Keys)})");

    /// <summary>Reference documentation of a kind (<c>workbench config docs KIND</c>).</summary>
    public static string Docs(string kind) => ConfigDocs.Describe(TypeOf(kind));
}
