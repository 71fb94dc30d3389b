using System.Buffers.Binary;

namespace Workbench.Training;

/// <summary>
/// TensorBoard event files (<c>events.out.tfevents.*</c>) at the record level: TFRecord framing (uint64 length, masked
/// CRC of the length, an <c>Event</c> protobuf, masked CRC of the data) and the event's <c>step</c> (field 2). Used on
/// resume: a killed process may have logged steps past its last checkpoint, which the resumed run logs again; those
/// records are dropped so every (tag, step) appears once, as in an uninterrupted run.
/// </summary>
public static class TensorBoardEvents
{
    public const string FilePattern = "events.out.tfevents.*";

    /// <summary>One framed record: its step (0 when the event has none, e.g. file_version) and its bytes as written.</summary>
    public readonly record struct Record(long Step, ReadOnlyMemory<byte> Event, ReadOnlyMemory<byte> Framed);

    /// <summary>The complete records of an event file; a torn last record (the writer was killed mid-write) is left out.</summary>
    public static IEnumerable<Record> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int offset = 0;
        while (offset + 12 <= bytes.Length)
        {
            long length = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(offset));
            long total = 12 + length + 4;
            if (length < 0 || offset + total > bytes.Length) yield break;
            var data = bytes.AsMemory(offset + 12, (int)length);
            yield return new Record(StepOf(data.Span), data, bytes.AsMemory(offset, (int)total));
            offset += (int)total;
        }
    }

    /// <summary>
    /// Rewrites every event file of <paramref name="runDir"/> keeping only records with step ≤ <paramref name="maxStep"/>,
    /// less those at exactly <paramref name="maxStep"/> whose tags start with one of <paramref name="tagPrefixesRedoneAtMaxStep"/>
    /// (logged after that step's checkpoint, so the resumed run logs them again). Temp file, then rename.
    /// </summary>
    public static void TruncateAfter(string runDir, int maxStep, IReadOnlyCollection<string>? tagPrefixesRedoneAtMaxStep = null)
    {
        var redone = tagPrefixesRedoneAtMaxStep ?? [];
        bool Keep(Record r) => r.Step < maxStep
            || (r.Step == maxStep && !Tags(r.Event.Span).Any(tag => redone.Any(prefix => tag.StartsWith(prefix, StringComparison.Ordinal))));
        foreach (string file in Directory.GetFiles(runDir, FilePattern))
        {
            var records = Read(file).ToList();
            var kept = records.Where(Keep).ToList();
            if (kept.Count == records.Count && kept.Sum(r => (long)r.Framed.Length) == new FileInfo(file).Length) continue;
            string temp = Path.Combine(runDir, "." + Path.GetFileName(file) + ".tmp");
            using (var output = File.Create(temp))
                foreach (var r in kept) output.Write(r.Framed.Span);
            File.Move(temp, file, overwrite: true);
        }
    }

    /// <summary>The tags of an Event's scalar summaries (Event field 5 = Summary; Summary field 1 = Value, repeated; Value field 1 = tag).</summary>
    public static List<string> Tags(ReadOnlySpan<byte> message)
    {
        var tags = new List<string>();
        foreach (var (summaryStart, summaryLength) in Fields(message, 5))
        {
            var summary = message.Slice(summaryStart, summaryLength);
            foreach (var (valueStart, valueLength) in Fields(summary, 1))
            {
                var value = summary.Slice(valueStart, valueLength);
                foreach (var (tagStart, tagLength) in Fields(value, 1))
                    tags.Add(System.Text.Encoding.UTF8.GetString(value.Slice(tagStart, tagLength)));
            }
        }
        return tags;
    }

    /// <summary>(offset, length) of the payloads of the length-delimited fields numbered <paramref name="wanted"/>.</summary>
    private static List<(int Start, int Length)> Fields(ReadOnlySpan<byte> message, int wanted)
    {
        var found = new List<(int, int)>();
        int i = 0;
        while (i < message.Length)
        {
            ulong key = ReadVarint(message, ref i);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            if (wire == 0) ReadVarint(message, ref i);
            else if (wire == 1) i += 8;
            else if (wire == 5) i += 4;
            else if (wire == 2)
            {
                int length = (int)ReadVarint(message, ref i);
                if (length < 0 || i + length > message.Length) break;
                if (field == wanted) found.Add((i, length));
                i += length;
            }
            else break;
        }
        return found;
    }

    /// <summary>Field 2 (int64 step, varint) of an Event protobuf; 0 when absent.</summary>
    private static long StepOf(ReadOnlySpan<byte> message)
    {
        int i = 0;
        while (i < message.Length)
        {
            ulong key = ReadVarint(message, ref i);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0:
                    ulong value = ReadVarint(message, ref i);
                    if (field == 2) return (long)value;
                    break;
                case 1: i += 8; break;
                case 2: i += (int)ReadVarint(message, ref i); break;
                case 5: i += 4; break;
                default: return 0; // groups (3, 4) are not used by Event
            }
        }
        return 0;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int i)
    {
        ulong result = 0;
        for (int shift = 0; i < data.Length && shift < 64; shift += 7)
        {
            byte b = data[i++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) break;
        }
        return result;
    }
}
