using System.Text.Json;

namespace Workbench.Tests.Training;

/// <summary>Every record of a run's metrics.jsonl as JSON (the tests look at fields reports never plot, like "split").</summary>
internal static class MetricsFile
{
    public static IReadOnlyList<JsonElement> Read(string runDir) =>
        File.ReadAllLines(Path.Combine(runDir, "metrics.jsonl")).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
}
