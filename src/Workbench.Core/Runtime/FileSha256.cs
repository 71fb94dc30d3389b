using System.Security.Cryptography;

namespace Workbench.Runtime;

/// <summary>sha256 of a file's bytes as lowercase hex (checkpoint and result provenance).</summary>
public static class FileSha256
{
    public static string Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
