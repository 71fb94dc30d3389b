using System.Text;
using System.Text.Json;

namespace Workbench.Evals.Records;

/// <summary>
/// Who wrote a journal: a resumed run must be the same suite content, policy, checkpoint and shard
/// (<see cref="Resumes"/>). <see cref="CodeCommit"/> is recorded, not compared: each episode keeps its own commit.
/// </summary>
public sealed record JournalHeader(string Suite, int SuiteVersion, string SuiteSha256, string Policy, string Shard,
    string CheckpointSha256 = "", string CodeCommit = "")
{
    /// <summary>True when a run described by <paramref name="run"/> may continue this journal.</summary>
    public bool Resumes(JournalHeader run) => this with { CodeCommit = "" } == run with { CodeCommit = "" };
}

/// <summary>
/// Crash-safe log of finished episodes next to the result file (<c>&lt;out&gt;.journal.jsonl</c>): a header line,
/// then one JSON line per episode, each appended with a single write and flushed to disk. A line torn by a crash
/// (no trailing newline, or invalid JSON at the end) is dropped on reading, so that episode simply runs again.
/// </summary>
public sealed class EpisodeJournal : IDisposable
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
    };

    private readonly FileStream _stream;

    private EpisodeJournal(string path, FileStream stream, IReadOnlyList<EpisodeRecord> finished)
    {
        Path = path;
        _stream = stream;
        Finished = finished;
    }

    public string Path { get; }

    /// <summary>Episodes already finished by an earlier (interrupted) run.</summary>
    public IReadOnlyList<EpisodeRecord> Finished { get; }

    public static string PathFor(string resultPath) => resultPath + ".journal.jsonl";

    /// <summary>Opens or creates the journal; refuses one written by a different suite version, policy or shard.</summary>
    public static EpisodeJournal Open(string path, JournalHeader header)
    {
        var finished = new List<EpisodeRecord>();
        long validLength = 0;
        if (File.Exists(path))
        {
            byte[] bytes = File.ReadAllBytes(path);
            int start = 0;
            bool first = true;
            while (start < bytes.Length)
            {
                int end = Array.IndexOf(bytes, (byte)'\n', start);
                if (end < 0) break; // torn last line
                string line = Encoding.UTF8.GetString(bytes, start, end - start);
                if (first)
                {
                    var existing = TryParse<JournalHeader>(line);
                    if (existing is null) break;
                    if (!existing.Resumes(header))
                        throw new UserError($"{path}: journal of another run ({Describe(existing)}), this run is {Describe(header)}; " +
                                            "delete the journal to start over, or run with --fresh");
                    first = false;
                }
                else
                {
                    var record = TryParse<EpisodeRecord>(line);
                    if (record is null) break; // a torn line is the last one
                    finished.Add(record);
                }
                start = end + 1;
                validLength = start;
            }
        }
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        stream.SetLength(validLength);
        stream.Seek(validLength, SeekOrigin.Begin);
        var journal = new EpisodeJournal(path, stream, finished);
        if (validLength == 0) journal.AppendLine(JsonSerializer.Serialize(header, Json));
        return journal;
    }

    public void Append(EpisodeRecord record) => AppendLine(JsonSerializer.Serialize(record, Json));

    private void AppendLine(string json)
    {
        byte[] line = Encoding.UTF8.GetBytes(json + "\n");
        _stream.Write(line);
        _stream.Flush(flushToDisk: true);
    }

    private static T? TryParse<T>(string line) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(line, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(JournalHeader h) =>
        $"suite {h.Suite} v{h.SuiteVersion} sha256 {Provenance.Short(h.SuiteSha256)}, policy {h.Policy} checkpoint sha256 {Provenance.Short(h.CheckpointSha256)}, shard {h.Shard}";

    public void Dispose() => _stream.Dispose();
}
