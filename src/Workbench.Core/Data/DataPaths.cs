using System.Text;
using System.Text.RegularExpressions;

namespace Workbench.Data;

/// <summary>Turns a source path — a file, a folder, or a glob (<c>*</c>, <c>?</c>, <c>**</c>) — into a sorted list of Parquet files.</summary>
public static class DataPaths
{
    /// <summary>Written by <c>data build</c> before its first file and removed after the card: its presence means an unfinished build.</summary>
    public const string UnfinishedMarker = ".build-unfinished";

    /// <summary>The Parquet files of a source; a <see cref="UserError"/> when any lies in a folder whose dataset build never finished.</summary>
    public static IReadOnlyList<string> Resolve(string pattern)
    {
        var files = ResolveFiles(pattern);
        foreach (string folder in files.Select(f => Path.GetDirectoryName(Path.GetFullPath(f))!).Distinct())
            if (File.Exists(Path.Combine(folder, UnfinishedMarker)))
                throw new UserError($"data source '{pattern}': {folder} is an unfinished dataset build (no card.json: `data build` was " +
                                    $"interrupted or ran out of disk, so its files may be missing episodes); build it again with `workbench data build <dataset.yaml>`");
        return files;
    }

    private static IReadOnlyList<string> ResolveFiles(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) throw new UserError("data source path is empty");
        if (File.Exists(pattern)) return [pattern];
        if (Directory.Exists(pattern))
        {
            var inFolder = Directory.EnumerateFiles(pattern, "*.parquet", SearchOption.AllDirectories)
                .Where(f => !Path.GetFileName(f).StartsWith('.'))
                .Order(StringComparer.Ordinal).ToList();
            return inFolder.Count > 0 ? inFolder : throw new UserError($"data source '{pattern}': the folder holds no .parquet files");
        }
        if (pattern.IndexOfAny(['*', '?']) < 0)
            throw new UserError($"data source '{pattern}': no such file or folder");

        string normalized = pattern.Replace('\\', '/');
        var segments = normalized.Split('/');
        int firstWild = Array.FindIndex(segments, s => s.IndexOfAny(['*', '?']) >= 0);
        string root = string.Join('/', segments.Take(firstWild));
        if (root.Length == 0) root = normalized.StartsWith('/') ? "/" : ".";
        var regex = new Regex("^" + GlobToRegex(string.Join('/', segments.Skip(firstWild))) + "$", RegexOptions.CultureInvariant);
        bool deep = segments.Skip(firstWild).Count() > 1 || normalized.Contains("**", StringComparison.Ordinal);
        if (!Directory.Exists(root)) throw new UserError($"data source '{pattern}': no such folder '{root}'");
        var files = Directory.EnumerateFiles(root, "*", deep ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Where(f => regex.IsMatch(Path.GetRelativePath(root, f).Replace('\\', '/')))
            .Select(f => root == "." ? Path.GetRelativePath(".", f) : f)
            .Order(StringComparer.Ordinal).ToList();
        return files.Count > 0 ? files : throw new UserError($"data source '{pattern}': the glob matches no files");
    }

    private static string GlobToRegex(string glob)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < glob.Length; i++)
        {
            char c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                bool slash = i + 2 < glob.Length && glob[i + 2] == '/';
                sb.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*') sb.Append("[^/]*");
            else if (c == '?') sb.Append("[^/]");
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.ToString();
    }
}
