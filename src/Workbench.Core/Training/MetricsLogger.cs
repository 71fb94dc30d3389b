using System.Globalization;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;

namespace Workbench.Training;

/// <summary>
/// Metrics as JSON lines (<c>metrics.jsonl</c>: step, split, values) and TensorBoard event files in the run
/// directory (<c>tensorboard --logdir runs</c>), tags <c>split/name</c>.
/// </summary>
public sealed class MetricsLogger
{
    private readonly string _path;
    private readonly SummaryWriter _tensorboard;

    /// <param name="resumeAfterStep">When resuming, what the interrupted process logged after this step (its last checkpoint) is
    /// dropped — metrics.jsonl lines and TensorBoard records — since the resumed run logs those steps again.</param>
    public MetricsLogger(string runDir, int? resumeAfterStep = null)
    {
        _path = Path.Combine(runDir, "metrics.jsonl");
        if (resumeAfterStep is int step)
        {
            if (File.Exists(_path))
            {
                // A line torn by a kill mid-write is not valid JSON: it is dropped too.
                var kept = File.ReadAllLines(_path).Where(l => StepOf(l) is int s && s <= step);
                Runtime.AtomicFile.WriteAllText(_path, string.Concat(kept.Select(l => l + "\n")));
            }
            TensorBoardEvents.TruncateAfter(runDir, step);
        }
        _tensorboard = torch.utils.tensorboard.SummaryWriter(runDir);
    }

    public void Log(int step, string split, IReadOnlyDictionary<string, double> values)
    {
        var record = new Dictionary<string, object> { ["step"] = step, ["split"] = split, ["time"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 };
        foreach (var (k, v) in values)
        {
            record[k] = double.IsFinite(v) ? v : v.ToString(CultureInfo.InvariantCulture);
            if (double.IsFinite(v)) _tensorboard.add_scalar($"{split}/{k}", (float)v, step);
        }
        File.AppendAllText(_path, JsonSerializer.Serialize(record) + "\n");
    }

    private static int? StepOf(string line)
    {
        if (line.Length == 0) return null;
        try
        {
            return JsonDocument.Parse(line).RootElement.GetProperty("step").GetInt32();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Every record of a metrics.jsonl file (for reports and tests).</summary>
    public static IReadOnlyList<JsonElement> Read(string runDir) =>
        File.ReadAllLines(Path.Combine(runDir, "metrics.jsonl")).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
}
