using System.Text;

namespace Workbench.Reporting;

/// <summary>
/// Writes a file by writing a temporary file beside it and renaming it over the target, so readers
/// (a browser, a CI upload, a concurrent nightly) never see a half-written report or history.
/// </summary>
public static class AtomicWrite
{
    public static void Text(string path, string text) => Bytes(path, new UTF8Encoding(false).GetBytes(text));

    public static void Bytes(string path, ReadOnlySpan<byte> bytes)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Lets <paramref name="write"/> fill a temporary file, then renames it over <paramref name="path"/>.</summary>
    public static void With(string path, Action<string> write)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            write(temp);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
