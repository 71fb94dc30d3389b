namespace Workbench.Config;

/// <summary>Documents a config key; shown by <c>workbench config docs</c>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class)]
public sealed class DocAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}

/// <summary>The key must be present in the file (no default applies).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredKeyAttribute : Attribute;

/// <summary>Numeric bounds checked by validation; exclusive bounds read "must be &gt; x".</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeAttribute(double min = double.NegativeInfinity, double max = double.PositiveInfinity) : Attribute
{
    public double Min { get; } = min;
    public double Max { get; } = max;
    public bool MinExclusive { get; init; }
    public bool MaxExclusive { get; init; }

    public string? Check(double value)
    {
        if (double.IsNaN(value)) return "must be a number";
        if (MinExclusive ? value <= Min : value < Min) return $"must be {(MinExclusive ? ">" : ">=")} {Min}";
        if (MaxExclusive ? value >= Max : value > Max) return $"must be {(MaxExclusive ? "<" : "<=")} {Max}";
        return null;
    }
}

/// <summary>Cross-field checks a config record makes after binding (the binder already checked types and ranges).</summary>
public interface IValidatable
{
    void Validate(string path, ConfigErrors errors);
}

/// <summary>
/// The value of the top-level <c>kind:</c> key of a root config record (experiment, suite, dataset, …). The config layer
/// reads it from the type; the table of all kinds lives with the workflows that use them (<c>Workflows.ConfigKinds</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ConfigKindAttribute(string kind) : Attribute
{
    public const string Key = "kind";
    public string Kind { get; } = kind;

    /// <summary>The kind of a root record type; throws when the type is not marked.</summary>
    public static string Of(Type type) =>
        type.GetCustomAttributes(typeof(ConfigKindAttribute), false).Cast<ConfigKindAttribute>().FirstOrDefault()?.Kind
        ?? throw new ArgumentException($"{type.Name} is not a root config record (no [ConfigKind])", nameof(type));
}
