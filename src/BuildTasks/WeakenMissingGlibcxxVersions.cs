#nullable enable
// MSBuild inline task (compiled by RoslynCodeTaskFactory, see Directory.Build.targets).
//
// Why: libLibTorchSharp.so from TorchSharp 0.107 lists GLIBCXX_3.4.32 (GCC 13) among its needed symbol
// versions, but the only symbol bound to it is `_ZSt21ios_base_library_initv`, an iostream marker that
// no relocation calls. Older distributions (Debian 12, Ubuntu 22.04) have libstdc++ up to 3.4.30 and the
// dynamic loader refuses the whole library. Setting VER_FLG_WEAK on that `vernaux` entry turns the fatal
// "version not found" into a tolerated one.
//
// Rules this task keeps:
// - it acts only when the system libstdc++ lacks the version (nothing to do on newer systems);
// - it weakens a version only if every dynamic symbol bound to it is a known never-called marker,
//   otherwise it fails the build with an explanation instead of producing a library that crashes later;
// - it is idempotent, and it rewrites the output copy through temp file + rename, so a hard link into the
//   NuGet cache can never be modified.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class WeakenMissingGlibcxxVersions : Task
{
    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;
    private const uint ShtDynsym = 11;
    private const ushort VerFlgWeak = 0x2;

    // Symbols known to be emitted as markers and never called (see the note in shared/notes).
    private static readonly HashSet<string> NeverCalledMarkers = new HashSet<string> { "_ZSt21ios_base_library_initv" };

    private static readonly string[] LibStdCxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    };

    public override bool Execute()
    {
        string? libstdcxx = LibStdCxxCandidates.FirstOrDefault(File.Exists);
        if (libstdcxx == null)
        {
            Log.LogMessage(MessageImportance.Low, "No system libstdc++.so.6 found; TorchSharp native library left as shipped.");
            return true;
        }
        byte[] systemLib = File.ReadAllBytes(libstdcxx);

        foreach (ITaskItem item in Files)
        {
            string path = item.ItemSpec;
            try
            {
                if (!PatchFile(path, systemLib, libstdcxx)) return false;
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogError($"Could not patch {path}: {e.Message}");
                return false;
            }
        }
        return !Log.HasLoggedErrors;
    }

    private bool PatchFile(string path, byte[] systemLib, string libstdcxxPath)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF is supported");

        ulong shoff = U64(elf, 0x28);
        int shentsize = U16(elf, 0x3A);
        int shnum = U16(elf, 0x3C);

        int verneed = -1, versym = -1, dynsym = -1;
        for (int i = 0; i < shnum; i++)
        {
            uint type = U32(elf, (int)shoff + i * shentsize + 4);
            if (type == ShtGnuVerneed) verneed = i;
            else if (type == ShtGnuVersym) versym = i;
            else if (type == ShtDynsym) dynsym = i;
        }
        if (verneed < 0 || versym < 0 || dynsym < 0)
        {
            Log.LogMessage(MessageImportance.Low, $"{path}: no symbol versioning sections; nothing to do.");
            return true;
        }

        int Sh(int index, int field) => (int)shoff + index * shentsize + field;
        int verneedOff = (int)U64(elf, Sh(verneed, 0x18));
        int verneedCount = (int)U32(elf, Sh(verneed, 0x2C));
        int strtabOff = (int)U64(elf, Sh((int)U32(elf, Sh(verneed, 0x28)), 0x18));

        // Map version index (vna_other) -> names of dynamic symbols bound to it.
        int dynsymOff = (int)U64(elf, Sh(dynsym, 0x18));
        int dynsymCount = (int)(U64(elf, Sh(dynsym, 0x20)) / 24);
        int dynstrOff = (int)U64(elf, Sh((int)U32(elf, Sh(dynsym, 0x28)), 0x18));
        int versymOff = (int)U64(elf, Sh(versym, 0x18));
        var symbolsByVersion = new Dictionary<int, List<string>>();
        for (int s = 0; s < dynsymCount; s++)
        {
            int version = U16(elf, versymOff + s * 2) & 0x7fff;
            if (!symbolsByVersion.TryGetValue(version, out var list)) symbolsByVersion[version] = list = new List<string>();
            list.Add(CString(elf, dynstrOff + (int)U32(elf, dynsymOff + s * 24)));
        }

        bool changed = false;
        int entry = verneedOff;
        for (int n = 0; n < verneedCount; n++)
        {
            string file = CString(elf, strtabOff + (int)U32(elf, entry + 4));
            int auxCount = U16(elf, entry + 2);
            int aux = entry + (int)U32(elf, entry + 8);
            for (int a = 0; a < auxCount; a++)
            {
                int flags = U16(elf, aux + 4);
                int other = U16(elf, aux + 6);
                string version = CString(elf, strtabOff + (int)U32(elf, aux + 8));
                if (file.StartsWith("libstdc++", StringComparison.Ordinal) && (flags & VerFlgWeak) == 0
                    && !ContainsVersionName(systemLib, version))
                {
                    var bound = symbolsByVersion.TryGetValue(other, out var names) ? names : new List<string>();
                    var unsafeSymbols = bound.Where(name => !NeverCalledMarkers.Contains(name)).ToList();
                    if (unsafeSymbols.Count > 0)
                    {
                        Log.LogError($"{path} needs {version}, which {libstdcxxPath} lacks, and uses symbols of it " +
                                     $"({string.Join(", ", unsafeSymbols.Take(5))}); install a newer libstdc++ (GCC 13+).");
                        return false;
                    }
                    WriteU16(elf, aux + 4, (ushort)(flags | VerFlgWeak));
                    changed = true;
                    Log.LogMessage(MessageImportance.High,
                        $"TorchSharp native fix: marked {version} weak in {path} ({libstdcxxPath} lacks it; only marker symbols use it).");
                }
                aux += (int)U32(elf, aux + 12);
            }
            uint next = U32(elf, entry + 12);
            if (next == 0) break;
            entry += (int)next;
        }

        if (changed)
        {
            // Write a new inode: never modify a file that may be a hard link into the package cache.
            string temp = path + ".patching";
            File.WriteAllBytes(temp, elf);
            File.Delete(path);
            File.Move(temp, path);
        }
        return true;
    }

    private static bool ContainsVersionName(byte[] lib, string version)
    {
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        for (int i = 1; i + needle.Length <= lib.Length; i++)
        {
            if (lib[i - 1] != 0 || lib[i] != needle[0]) continue;
            int k = 1;
            while (k < needle.Length && lib[i + k] == needle[k]) k++;
            if (k == needle.Length) return true;
        }
        return false;
    }

    private static ushort U16(byte[] b, int o) => BitConverter.ToUInt16(b, o);
    private static uint U32(byte[] b, int o) => BitConverter.ToUInt32(b, o);
    private static ulong U64(byte[] b, int o) => BitConverter.ToUInt64(b, o);
    private static void WriteU16(byte[] b, int o, ushort v) { b[o] = (byte)v; b[o + 1] = (byte)(v >> 8); }
    private static string CString(byte[] b, int o)
    {
        int end = o;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, o, end - o);
    }
}
