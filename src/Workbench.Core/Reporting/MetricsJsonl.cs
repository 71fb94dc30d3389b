using System.Globalization;
using System.Text.Json;

namespace Workbench.Reporting;

/// <summary>
/// Reads a run's <c>metrics.jsonl</c> (one JSON object per logged step: <c>{"step": 10, "loss": 1.9, "lr": 3e-4, …}</c>)
/// into learning curves. Lines without a step, non-numeric values and blank lines are skipped; a malformed
/// line is an error with its line number.
/// </summary>
public static class MetricsJsonl
{
    /// <summary>
    /// Every numeric metric in the file, by name, as (step, value) pairs in file order. Lines the trainer marks
    /// with a non-training <c>split</c> (e.g. <c>"split":"val"</c>) are named <c>val/loss</c>, so <c>loss</c> is the
    /// training curve alone and never mixes in validation values logged at the same steps.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(int Step, double Value)>> ReadAll(string path)
    {
        if (!File.Exists(path)) throw new UserError($"metrics file not found: {path}");
        var series = new SortedDictionary<string, List<(int, double)>>(StringComparer.Ordinal);
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonDocument doc;
            try { doc = JsonDocument.Parse(line); }
            catch (JsonException e) { throw new UserError($"{path}:{lineNumber}: not valid JSON ({e.Message})"); }
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("step", out var stepElement)
                    || !stepElement.TryGetInt32(out int step))
                    continue;
                string prefix = doc.RootElement.TryGetProperty("split", out var split) && split.ValueKind == JsonValueKind.String
                                && split.GetString() is { Length: > 0 } s && s != "train" ? s + "/" : "";
                foreach (var property in doc.RootElement.EnumerateObject())
                {
                    if (property.Name == "step" || property.Value.ValueKind != JsonValueKind.Number) continue;
                    string name = prefix + property.Name;
                    if (!series.TryGetValue(name, out var list)) series[name] = list = [];
                    list.Add((step, property.Value.GetDouble()));
                }
            }
        }
        return series.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<(int, double)>)kv.Value);
    }

    /// <summary>One metric as a learning curve labelled <paramref name="label"/> (default: the run folder's name).</summary>
    public static LearningCurve Read(string path, string metric = "loss", string? label = null)
    {
        var all = ReadAll(path);
        if (!all.TryGetValue(metric, out var points))
            throw new UserError($"{path}: no metric '{metric}' (found: {string.Join(", ", all.Keys)})");
        label ??= new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(path))!).Name;
        return new LearningCurve(label, points);
    }

    /// <summary>Writes curves as metrics.jsonl lines (merging metrics logged at the same step), atomically.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, IReadOnlyList<(int Step, double Value)>> metrics)
    {
        var steps = new SortedDictionary<int, SortedDictionary<string, double>>();
        foreach (var (name, points) in metrics)
            foreach (var (step, value) in points)
            {
                if (!steps.TryGetValue(step, out var row)) steps[step] = row = new SortedDictionary<string, double>(StringComparer.Ordinal);
                row[name] = value;
            }
        var lines = steps.Select(s => "{\"step\":" + s.Key.ToString(CultureInfo.InvariantCulture) +
            string.Concat(s.Value.Select(kv => ",\"" + JsonEncodedText.Encode(kv.Key) + "\":" + kv.Value.ToString("R", CultureInfo.InvariantCulture))) + "}");
        Runtime.AtomicFile.WriteAllText(path, string.Join("\n", lines) + "\n");
    }
}
