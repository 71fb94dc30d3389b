using System.Text;

namespace Workbench.Tests.Runtime;

/// <summary>
/// The build marks libLibTorchSharp.so's GLIBCXX_3.4.32 requirement weak in output folders only, and only when
/// the system libstdc++ lacks that version; the NuGet cache keeps the library as shipped.
/// </summary>
public class NativeLibraryPatchTests
{
    private const string Version = "GLIBCXX_3.4.32";

    private static string OutputCopy => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private static string CacheCopy =>
        Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private static string? SystemLibStdCxx =>
        new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }.FirstOrDefault(File.Exists);

    /// <summary>Skips visibly where there is no Linux x64 libstdc++ or no TorchSharp-cpu output to inspect.</summary>
    private sealed class LinuxNativeFactAttribute : FactAttribute
    {
        public LinuxNativeFactAttribute()
        {
            if (!OperatingSystem.IsLinux() || !File.Exists(OutputCopy) || SystemLibStdCxx is null)
                Skip = "needs Linux x64 with libstdc++ and the TorchSharp-cpu package in the output folder";
        }
    }

    [LinuxNativeFact]
    public void Output_copy_is_weakened_exactly_when_the_system_lacks_the_version_and_the_cache_is_untouched()
    {
        bool systemHasVersion = Encoding.ASCII.GetString(File.ReadAllBytes(SystemLibStdCxx!)).Contains(Version + "\0");

        Assert.Equal(!systemHasVersion, IsWeak(OutputCopy));
        if (File.Exists(CacheCopy)) Assert.False(IsWeak(CacheCopy), "the NuGet cache copy must keep its flags as shipped");
    }

    /// <summary>Reads .gnu.version_r and returns whether the GLIBCXX_3.4.32 entry carries VER_FLG_WEAK (0x2).</summary>
    private static bool IsWeak(string path)
    {
        byte[] elf = File.ReadAllBytes(path);
        ulong shoff = BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A), shnum = BitConverter.ToUInt16(elf, 0x3C);
        int Sh(int i, int field) => (int)shoff + i * shentsize + field;
        for (int i = 0; i < shnum; i++)
        {
            if (BitConverter.ToUInt32(elf, Sh(i, 4)) != 0x6ffffffe) continue; // SHT_GNU_verneed
            int offset = (int)BitConverter.ToUInt64(elf, Sh(i, 0x18));
            int count = (int)BitConverter.ToUInt32(elf, Sh(i, 0x2C));
            int strtab = (int)BitConverter.ToUInt64(elf, Sh((int)BitConverter.ToUInt32(elf, Sh(i, 0x28)), 0x18));
            for (int n = 0, entry = offset; n < count; n++)
            {
                int aux = entry + (int)BitConverter.ToUInt32(elf, entry + 8);
                for (int a = 0; a < BitConverter.ToUInt16(elf, entry + 2); a++)
                {
                    int name = strtab + (int)BitConverter.ToUInt32(elf, aux + 8);
                    int end = Array.IndexOf(elf, (byte)0, name);
                    if (Encoding.ASCII.GetString(elf, name, end - name) == Version)
                        return (BitConverter.ToUInt16(elf, aux + 4) & 0x2) != 0;
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                entry += (int)BitConverter.ToUInt32(elf, entry + 12);
            }
        }
        throw new InvalidDataException($"{path}: no {Version} requirement found");
    }
}
