using System.Security.Cryptography;
using System.Text;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Workbench.Config;

/// <summary>A config bound to its typed record, with the resolved YAML (includes and overrides applied) and its hash.</summary>
public sealed record LoadedConfig(string File, string Kind, object Value, string ResolvedYaml, string Sha256);

/// <summary>Loads, binds and validates config files; every problem in the tree is reported at once.</summary>
public static class ConfigLoader
{
    public static T Load<T>(string path, IEnumerable<string>? overrides = null) where T : class, new() =>
        (T)LoadAs(typeof(T), path, overrides).Value;

    /// <summary>Loads a file whose <c>kind:</c> picks the record type among <paramref name="kinds"/> (what <c>workbench validate</c> does).</summary>
    public static LoadedConfig LoadAny(string path, IReadOnlyDictionary<string, Type> kinds, IEnumerable<string>? overrides = null)
    {
        var root = ConfigDocument.Load(path, overrides);
        string kind = ReadKind(root, path) ?? throw new ConfigException(path,
            [new ConfigProblem(ConfigKindAttribute.Key, $"missing; expected one of {string.Join(", ", kinds.Keys)}")]);
        if (!kinds.TryGetValue(kind, out var type))
            throw new ConfigException(path, [new ConfigProblem(ConfigKindAttribute.Key, $"unknown kind '{kind}' (expected one of {string.Join(", ", kinds.Keys)})")]);
        return BindRoot(type, root, path);
    }

    public static LoadedConfig LoadAs(Type type, string path, IEnumerable<string>? overrides = null)
    {
        var root = ConfigDocument.Load(path, overrides);
        return BindRoot(type, root, path);
    }

    /// <summary>Binds YAML text (no includes); for tests and notebooks.</summary>
    public static T FromYaml<T>(string yaml, string displayName = "<inline>") where T : class, new() =>
        (T)BindRoot(typeof(T), ConfigDocument.Parse(yaml, displayName), displayName).Value;

    private static LoadedConfig BindRoot(Type type, YamlMappingNode root, string path)
    {
        string expectedKind = ConfigKindAttribute.Of(type);
        string? kind = ReadKind(root, path);
        var errors = new ConfigErrors();
        if (kind != null && kind != expectedKind)
            errors.Add(ConfigKindAttribute.Key, $"expected '{expectedKind}', got '{kind}'");
        root.Children.Remove(new YamlScalarNode(ConfigKindAttribute.Key));

        object value = ConfigBinder.BindValue(type, root, "", errors)!;
        if (errors.Any) throw new ConfigException(path, errors.Problems);

        string yaml = ToYaml(expectedKind, value);
        return new LoadedConfig(path, expectedKind, value, yaml, Sha256Hex(yaml));
    }

    private static string? ReadKind(YamlMappingNode root, string path)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode(ConfigKindAttribute.Key), out var node)) return null;
        return node is YamlScalarNode { Value: { } v } ? v : throw new ConfigException(path, [new ConfigProblem(ConfigKindAttribute.Key, "expected a string")]);
    }

    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.Preserve)
        .DisableAliases()
        .Build();

    /// <summary>The fully resolved config (every default spelled out), as saved in run directories.</summary>
    public static string ToYaml(string kind, object value) => $"kind: {kind}\n" + Serializer.Serialize(value);

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
