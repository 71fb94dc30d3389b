using System.Collections;
using System.Globalization;
using System.Reflection;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization.NamingConventions;

namespace Workbench.Config;

/// <summary>
/// Binds a YAML node tree to typed config records and validates the whole tree, collecting every problem
/// with its path. Keys are the snake_case form of property names (<c>WeightDecay</c> ⇒ <c>weight_decay</c>);
/// a property's initializer is its documented default. Unknown keys and wrong types are errors.
/// Supported: string, bool, int, long, float, double, enums (snake_case names), nullable forms,
/// List/IReadOnlyList/arrays, Dictionary/IReadOnlyDictionary with string keys, and nested records.
/// </summary>
public static class ConfigBinder
{
    private static readonly NullabilityInfoContext Nullability = new();

    public static string KeyOf(PropertyInfo property) => UnderscoredNamingConvention.Instance.Apply(property.Name);

    public static IEnumerable<PropertyInfo> BindableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic && p.GetIndexParameters().Length == 0);

    public static T Bind<T>(YamlMappingNode node, ConfigErrors errors) where T : class, new() =>
        (T)BindObject(typeof(T), node, "", errors);

    public static object? BindValue(Type type, YamlNode node, string path, ConfigErrors errors, bool allowNull = false)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (IsNull(node))
        {
            if (underlying != null || allowNull) return null;
            errors.Add(path, $"expected {Describe(type)}, got null");
            return null;
        }
        type = underlying ?? type;

        if (type == typeof(string)) return Scalar(node, path, errors, type);
        if (type == typeof(bool))
        {
            string? s = Scalar(node, path, errors, type);
            if (s is null) return null;
            if (s.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
            if (s.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
            errors.Add(path, $"expected true or false, got '{s}'");
            return null;
        }
        if (type == typeof(int) || type == typeof(long))
        {
            string? s = Scalar(node, path, errors, type);
            if (s is null) return null;
            if (long.TryParse(s.Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)
                && (type == typeof(long) || v is >= int.MinValue and <= int.MaxValue))
                return type == typeof(int) ? (object)(int)v : v;
            errors.Add(path, $"expected an integer, got '{s}'");
            return null;
        }
        if (type == typeof(double) || type == typeof(float))
        {
            string? s = Scalar(node, path, errors, type);
            if (s is null) return null;
            if (double.TryParse(s.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v))
                return type == typeof(float) ? (object)(float)v : v;
            errors.Add(path, $"expected a number, got '{s}'");
            return null;
        }
        if (type.IsEnum) return BindEnum(type, node, path, errors);
        if (type.IsArray) return BindList(type.GetElementType()!, node, path, errors, asArray: true);
        if (type.IsGenericType)
        {
            var def = type.GetGenericTypeDefinition();
            var args = type.GetGenericArguments();
            if (def == typeof(List<>) || def == typeof(IReadOnlyList<>) || def == typeof(IList<>) || def == typeof(IEnumerable<>))
                return BindList(args[0], node, path, errors, asArray: false);
            if ((def == typeof(Dictionary<,>) || def == typeof(IReadOnlyDictionary<,>)) && args[0] == typeof(string))
                return BindDictionary(args[1], node, path, errors);
        }
        if (type.IsClass && type.GetConstructor(Type.EmptyTypes) != null)
        {
            if (node is YamlMappingNode map) return BindObject(type, map, path, errors);
            errors.Add(path, $"expected a mapping ({Describe(type)}), got {NodeKind(node)}");
            return null;
        }
        throw new NotSupportedException($"Config type {type.Name} at '{path}' is not bindable");
    }

    private static object BindObject(Type type, YamlMappingNode map, string path, ConfigErrors errors)
    {
        object instance = Activator.CreateInstance(type)!;
        var properties = BindableProperties(type).ToDictionary(KeyOf);

        foreach (var (keyNode, valueNode) in map.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? "";
            string keyPath = ConfigErrors.Join(path, key);
            if (!properties.TryGetValue(key, out var property))
            {
                string? suggestion = DidYouMean(key, properties.Keys);
                errors.Add(keyPath, "unknown key" + (suggestion is null ? $" (known keys: {string.Join(", ", properties.Keys)})" : $" (did you mean '{suggestion}'?)"));
                continue;
            }
            bool allowNull = Nullability.Create(property).WriteState == NullabilityState.Nullable;
            int before = errors.Problems.Count;
            object? value = BindValue(property.PropertyType, valueNode, keyPath, errors, allowNull);
            if (errors.Problems.Count > before) continue;
            property.SetValue(instance, value);
            CheckRange(property, value, keyPath, errors);
        }

        foreach (var (key, property) in properties)
        {
            if (property.GetCustomAttribute<RequiredKeyAttribute>() != null && !map.Children.ContainsKey(new YamlScalarNode(key)))
                errors.Add(ConfigErrors.Join(path, key), "missing required key");
        }

        if (instance is IValidatable validatable)
            validatable.Validate(path, errors);
        return instance;
    }

    private static void CheckRange(PropertyInfo property, object? value, string path, ConfigErrors errors)
    {
        var range = property.GetCustomAttribute<RangeAttribute>();
        if (range is null || value is null) return;
        string? problem = range.Check(Convert.ToDouble(value, CultureInfo.InvariantCulture));
        if (problem != null) errors.Add(path, problem);
    }

    private static object? BindList(Type elementType, YamlNode node, string path, ConfigErrors errors, bool asArray)
    {
        if (node is not YamlSequenceNode seq)
        {
            errors.Add(path, $"expected a list, got {NodeKind(node)}");
            return null;
        }
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
        int i = 0;
        foreach (var item in seq)
            list.Add(BindValue(elementType, item, $"{path}[{i++}]", errors));
        if (!asArray) return list;
        var array = Array.CreateInstance(elementType, list.Count);
        list.CopyTo(array, 0);
        return array;
    }

    private static object? BindDictionary(Type valueType, YamlNode node, string path, ConfigErrors errors)
    {
        if (node is not YamlMappingNode map)
        {
            errors.Add(path, $"expected a mapping, got {NodeKind(node)}");
            return null;
        }
        var dict = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
        foreach (var (k, v) in map.Children)
        {
            string key = (k as YamlScalarNode)?.Value ?? "";
            dict[key] = BindValue(valueType, v, ConfigErrors.Join(path, key), errors);
        }
        return dict;
    }

    private static object? BindEnum(Type type, YamlNode node, string path, ConfigErrors errors)
    {
        string? s = Scalar(node, path, errors, type);
        if (s is null) return null;
        foreach (string name in Enum.GetNames(type))
        {
            if (UnderscoredNamingConvention.Instance.Apply(name) == s || name.Equals(s, StringComparison.OrdinalIgnoreCase))
                return Enum.Parse(type, name);
        }
        errors.Add(path, $"expected one of {string.Join(" | ", EnumKeys(type))}, got '{s}'");
        return null;
    }

    public static IEnumerable<string> EnumKeys(Type type) => Enum.GetNames(type).Select(UnderscoredNamingConvention.Instance.Apply);

    /// <summary>How an enum value is written in a config file (snake_case).</summary>
    public static string EnumKey(Enum value) => UnderscoredNamingConvention.Instance.Apply(value.ToString());

    private static string? Scalar(YamlNode node, string path, ConfigErrors errors, Type expected)
    {
        if (node is YamlScalarNode s) return s.Value ?? "";
        errors.Add(path, $"expected {Describe(expected)}, got {NodeKind(node)}");
        return null;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s && (s.Value is null or "" or "~" or "null" or "Null" or "NULL");

    private static string NodeKind(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"'{s.Value}'",
        _ => node.NodeType.ToString(),
    };

    public static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "a string";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(int) || type == typeof(long)) return "an integer";
        if (type == typeof(double) || type == typeof(float)) return "a number";
        if (type.IsEnum) return "one of " + string.Join(" | ", EnumKeys(type));
        if (type.IsArray || (type.IsGenericType && type.GetGenericTypeDefinition() != typeof(Dictionary<,>) && typeof(IEnumerable).IsAssignableFrom(type)
                             && type.GetGenericTypeDefinition() != typeof(IReadOnlyDictionary<,>)))
            return "a list";
        return "a mapping";
    }

    /// <summary>The closest known key within a small edit distance, for "did you mean" hints.</summary>
    public static string? DidYouMean(string key, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in known)
        {
            int d = Levenshtein(key, candidate);
            if (d < bestDistance) (best, bestDistance) = (candidate, d);
        }
        return best != null && bestDistance <= Math.Max(2, key.Length / 3) ? best : null;
    }

    private static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
