using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workbench.Workflows.Sweeps;

/// <summary>
/// A finished sweep run (<c>results/&lt;run id&gt;.json</c>, written last and atomically): its point and seed, the
/// hashes it was made from (a changed experiment or suite makes it unfinished again), where the run and its model
/// are, and the metric with its interval on this run's own episodes.
/// </summary>
public sealed record SweepResult
{
    public required string RunId { get; init; }
    public required int Index { get; init; }
    public required string Point { get; init; }
    public required IReadOnlyDictionary<string, string> Values { get; init; }
    public required long Seed { get; init; }
    public required string Series { get; init; }
    public double? X { get; init; }
    public required IReadOnlyList<string> Overrides { get; init; }
    public required string ExperimentSha256 { get; init; }
    public string? Suite { get; init; }
    public string? SuiteSha256 { get; init; }
    public required string RunDir { get; init; }
    public required string TrainStatus { get; init; }
    public required int Steps { get; init; }
    public double? TrainSeconds { get; init; }

    /// <summary>The policy the run was evaluated as: name@version when registered.</summary>
    public required string Model { get; init; }

    public required string Metric { get; init; }
    public required double Value { get; init; }
    public double? Low { get; init; }
    public double? High { get; init; }

    /// <summary>Episodes graded (0 when the metric is a training metric).</summary>
    public required int Episodes { get; init; }
    public required string Method { get; init; }

    /// <summary>Where the eval records are; null for a training metric.</summary>
    public string? EvalFile { get; init; }
    public required DateTimeOffset Finished { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public void Save(string path) => Runtime.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static SweepResult? TryRead(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<SweepResult>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new UserError($"{path}: not a readable sweep result ({e.Message}); delete it to run that point again");
        }
    }
}
