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
