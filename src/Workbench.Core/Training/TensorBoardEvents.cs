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

    /// <summary>Rewrites every event file of <paramref name="runDir"/> keeping only records with step ≤ <paramref name="maxStep"/> (temp file, then rename).</summary>
    public static void TruncateAfter(string runDir, int maxStep)
    {
        foreach (string file in Directory.GetFiles(runDir, FilePattern))
        {
            var records = Read(file).ToList();
            var kept = records.Where(r => r.Step <= maxStep).ToList();
            if (kept.Count == records.Count && kept.Sum(r => (long)r.Framed.Length) == new FileInfo(file).Length) continue;
            string temp = Path.Combine(runDir, "." + Path.GetFileName(file) + ".tmp");
            using (var output = File.Create(temp))
                foreach (var r in kept) output.Write(r.Framed.Span);
            File.Move(temp, file, overwrite: true);
        }
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
