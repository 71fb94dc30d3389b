using Workbench.Training;

namespace Workbench.Tests.Training;

/// <summary>(tag, step) of every scalar summary in a run's TensorBoard event files (Event.summary.value[].tag), for tests.</summary>
internal static class TensorBoardScalars
{
    public static List<(string Tag, long Step)> Read(string runDir) =>
        Directory.GetFiles(runDir, TensorBoardEvents.FilePattern)
            .SelectMany(TensorBoardEvents.Read)
            .SelectMany(r => Tags(r.Event.ToArray()).Select(tag => (tag, r.Step)))
            .ToList();

    // Event: field 5 = Summary; Summary: field 1 = Value (repeated); Value: field 1 = tag.
    private static IEnumerable<string> Tags(byte[] evt)
    {
        foreach (var summary in Fields(evt, 5))
            foreach (var value in Fields(summary, 1))
                foreach (var tag in Fields(value, 1))
                    yield return System.Text.Encoding.UTF8.GetString(tag);
    }

    /// <summary>The payloads of length-delimited fields numbered <paramref name="wanted"/>.</summary>
    private static IEnumerable<byte[]> Fields(byte[] message, int wanted)
    {
        var found = new List<byte[]>();
        int i = 0;
        while (i < message.Length)
        {
            ulong key = Varint(message, ref i);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            if (wire == 0) Varint(message, ref i);
            else if (wire == 1) i += 8;
            else if (wire == 5) i += 4;
            else if (wire == 2)
            {
                int length = (int)Varint(message, ref i);
                if (field == wanted) found.Add(message[i..(i + length)]);
                i += length;
            }
            else break;
        }
        return found;
    }

    private static ulong Varint(byte[] data, ref int i)
    {
        ulong result = 0;
        for (int shift = 0; i < data.Length; shift += 7)
        {
            byte b = data[i++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) break;
        }
        return result;
    }
}
