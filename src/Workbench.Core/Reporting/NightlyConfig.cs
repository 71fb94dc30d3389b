using System.Text.RegularExpressions;
using Workbench.Config;

namespace Workbench.Reporting;

/// <summary>
/// Root of a nightly file (<c>kind: nightly</c>): which model versions to evaluate and compare every night, on
/// which suites, and where the report and the history go. See evals/nightly.yaml.
/// </summary>
[Doc("Nightly evaluation: versions to compare, suites to run, where reports and history go")]
[ConfigKind("nightly")]
public sealed partial class NightlyConfig : IValidatable
{
    [RequiredKey, Doc("Model version under test, as name@version (e.g. agent@7)")]
    public string Candidate { get; init; } = "";

    [RequiredKey, Doc("Version the candidate is compared with (paired, same episodes), as name@version")]
    public string Baseline { get; init; } = "";

    [Doc("Further versions to evaluate and plot alongside (not part of the pass/fail comparison), as name@version")]
    public List<string> Also { get; init; } = [];

    [RequiredKey, Doc("Eval suites to run: registered suite names or paths to suite files (evals/<suite>.yaml)")]
    public List<string> Suites { get; init; } = [];

    [Doc("Folder that receives <date>/index.html, <date>/summary.md, latest/ and history.parquet")]
    public string OutputDir { get; init; } = "reports";

    [Doc("Report title")]
    public string Title { get; init; } = "Nightly eval report";

    [Doc("Family-wise error rate for the paired comparisons (Holm-adjusted p-values are compared with it)")]
    [Range(0, 0.5, MinExclusive = true)]
    public double Alpha { get; init; } = 0.05;

    [Doc("Nights of history drawn in the history plots; 0 draws all")]
    [Range(0, double.PositiveInfinity)]
    public int HistoryNights { get; init; } = 30;

    [Doc("Exit with code 1 when anything regressed or a gate failed (CI marks the nightly red)")]
    public bool FailOnRegression { get; init; } = true;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*@[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex VersionPattern();

    /// <summary>name@version, or one of the built-in policies (bot, random) that serve as references.</summary>
    public static bool IsVersionRef(string text) => VersionPattern().IsMatch(text) || text is "bot" or "random";

    /// <summary>Candidate, baseline, then the extra versions, without duplicates.</summary>
    public IReadOnlyList<string> AllVersions() => new[] { Candidate, Baseline }.Concat(Also).Distinct().ToList();

    public void Validate(string path, ConfigErrors errors)
    {
        foreach (var (key, value) in new[] { ("candidate", Candidate), ("baseline", Baseline) })
            if (value.Length > 0)
                errors.Require(IsVersionRef(value), ConfigErrors.Join(path, key), $"expected name@version (e.g. agent@7), bot or random, got '{value}'");
        errors.Require(Candidate.Length == 0 || Candidate != Baseline, ConfigErrors.Join(path, "baseline"), "must differ from candidate");
        for (int i = 0; i < Also.Count; i++)
            errors.Require(IsVersionRef(Also[i]), ConfigErrors.Join(path, $"also[{i}]"), $"expected name@version, got '{Also[i]}'");
        errors.Require(Suites.Count > 0, ConfigErrors.Join(path, "suites"), "at least one suite is required");
        foreach (var dup in Suites.GroupBy(s => s).Where(g => g.Count() > 1))
            errors.Add(ConfigErrors.Join(path, "suites"), $"'{dup.Key}' is listed {dup.Count()} times");
        for (int i = 0; i < Suites.Count; i++)
            errors.Require(!string.IsNullOrWhiteSpace(Suites[i]), ConfigErrors.Join(path, $"suites[{i}]"), "empty suite name");
        errors.Require(!string.IsNullOrWhiteSpace(OutputDir), ConfigErrors.Join(path, "output_dir"), "must not be empty");
    }
}
