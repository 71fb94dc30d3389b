using Parquet.Schema;

namespace Workbench.Data;

/// <summary>
/// The on-disk demonstration schema (one Parquet row per step; see src/ARCHITECTURE.md) and the check a
/// reader makes when it opens a file. Extra columns are allowed; missing or mistyped ones are errors.
/// </summary>
public static class DemoSchema
{
    public static readonly DataField<long> EpisodeId = new("episode_id", false);
    public static readonly DataField<string> Level = new("level", false);
    public static readonly DataField<long> Seed = new("seed", false);
    public static readonly DataField<string> Mission = new("mission", false);
    public static readonly DataField<int> Step = new("step", false);
    public static readonly DataField<int> Direction = new("direction", false);
    public static readonly DataField<byte[]> Obs = new("obs", false);
    public static readonly DataField<int> Action = new("action", false);
    public static readonly DataField<float> Reward = new("reward", false);
    public static readonly DataField<bool> Done = new("done", false);

    public static readonly ParquetSchema Schema = new(EpisodeId, Level, Seed, Mission, Step, Direction, Obs, Action, Reward, Done);

    /// <summary>File-level key/value metadata keys written by <see cref="DemonstrationWriter"/>.</summary>
    public const string ObsKindKey = "workbench.obs_kind";
    public const string EpisodesPerRowGroupKey = "workbench.episodes_per_row_group";
    public const string GeneratorKey = "workbench.generator";
    /// <summary>Shape of one obs value as "HxWxC" (e.g. "56x56x3" for RGB at 8-pixel tiles); absent in symbolic files, which are 7x7x3.</summary>
    public const string ObsShapeKey = "workbench.obs_shape";
    /// <summary>Pixels per grid cell of rendered (rgb, fashion) observations.</summary>
    public const string TileSizeKey = "workbench.tile_size";
    /// <summary>Shape of a symbolic observation (MiniGrid 7×7×3 encoding).</summary>
    public const string SymbolicShape = "7x7x3";

    /// <summary>"HxWxC" of an H×W×C observation.</summary>
    public static string FormatShape(int height, int width, int channels) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{height}x{width}x{channels}");

    /// <summary>The shape of a file's obs values from its key/value metadata: <see cref="ObsShapeKey"/>, else 7x7x3 for
    /// symbolic files (the default kind when <see cref="ObsKindKey"/> is absent), else null (unknown).</summary>
    public static string? ObsShapeOf(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata != null && metadata.TryGetValue(ObsShapeKey, out var shape) && shape.Length > 0) return shape;
        string kind = metadata != null && metadata.TryGetValue(ObsKindKey, out var k) ? k : "symbolic";
        return kind == "symbolic" ? SymbolicShape : null;
    }

    /// <summary>Bytes of one observation of an "HxWxC" shape, or null when the text is not such a shape.</summary>
    public static long? ShapeBytes(string? shape)
    {
        if (shape is null) return null;
        long bytes = 1;
        var parts = shape.Split('x');
        if (parts.Length == 0) return null;
        foreach (var p in parts)
        {
            if (!int.TryParse(p, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) || n < 1) return null;
            bytes *= n;
        }
        return bytes;
    }

    /// <summary>Parquet-ish name of a CLR column type, for messages ("int32", "binary", …).</summary>
    public static string TypeName(Type clr) => clr switch
    {
        _ when clr == typeof(long) => "int64",
        _ when clr == typeof(int) => "int32",
        _ when clr == typeof(short) => "int16",
        _ when clr == typeof(byte) => "uint8",
        _ when clr == typeof(float) => "float",
        _ when clr == typeof(double) => "double",
        _ when clr == typeof(bool) => "bool",
        _ when clr == typeof(string) || clr == typeof(ReadOnlyMemory<char>) => "string",
        _ when clr == typeof(byte[]) || clr == typeof(ReadOnlyMemory<byte>) => "binary",
        _ => clr.Name,
    };

    /// <summary>Problems of <paramref name="actual"/> against the demonstration schema (empty when it fits).</summary>
    public static IReadOnlyList<SchemaProblem> Check(ParquetSchema actual)
    {
        var problems = new List<SchemaProblem>();
        var byName = actual.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var expected in Schema.GetDataFields())
        {
            string want = TypeName(expected.ClrType);
            if (!byName.TryGetValue(expected.Name, out var found))
            {
                problems.Add(new SchemaProblem(expected.Name, want, "missing"));
                continue;
            }
            // Optional strings and binaries are fine (a null value is reported when read); optional numbers are not.
            bool optionalNumber = found.IsNullable && want is not ("string" or "binary");
            string got = (optionalNumber ? "optional " : "") + TypeName(found.ClrType) + (found.IsArray ? "[] (repeated)" : "");
            if (found.ClrType != expected.ClrType || found.IsArray || optionalNumber)
                problems.Add(new SchemaProblem(expected.Name, want, got));
        }
        return problems;
    }
}

/// <summary>A column whose type does not match the demonstration schema.</summary>
public sealed record SchemaProblem(string Column, string Expected, string Actual)
{
    public override string ToString() =>
        Actual == "missing" ? $"column '{Column}' ({Expected}) is missing" : $"column '{Column}': expected {Expected}, found {Actual}";
}
