using Workbench.Config;
using Workbench.Workflows;

namespace Workbench.Tests.Config;

/// <summary>Every YAML file shipped under experiments/, datasets/ and evals/ must validate (the registry drives this).</summary>
public class ShippedConfigsTests
{
    public static TheoryData<string> ShippedFiles() => new(Files());

    private static IEnumerable<string> Files()
    {
        string root = RepoRoot.Path;
        foreach (string folder in new[] { "experiments", "datasets", "evals", "reports" })
        {
            string dir = System.IO.Path.Combine(root, folder);
            if (!Directory.Exists(dir)) continue;
            foreach (string file in Directory.EnumerateFiles(dir, "*.yaml", SearchOption.AllDirectories).Order())
            {
                if (file.Contains($"{System.IO.Path.DirectorySeparatorChar}bases{System.IO.Path.DirectorySeparatorChar}")) continue;
                yield return System.IO.Path.GetRelativePath(root, file);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void Shipped_config_validates(string relativePath)
    {
        // Paths inside configs are relative to the repository root, where users run the CLI.
        using var _ = ConfigPaths.RelativeTo(RepoRoot.Path);
        var loaded = ConfigKinds.Load(System.IO.Path.Combine(RepoRoot.Path, relativePath));
        Assert.False(string.IsNullOrEmpty(loaded.Sha256));
    }

    [Fact]
    public void There_are_shipped_experiments_to_validate()
    {
        Assert.Contains(Files(), path => path.StartsWith("experiments", StringComparison.Ordinal));
    }
}
