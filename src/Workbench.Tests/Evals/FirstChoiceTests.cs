using System.Text.Json;
using Workbench.Cli;
using Workbench.Envs;
using Workbench.Evals;
using Workbench.Evals.Records;
using Workbench.Tests.Cli;
using Workbench.Tests.Envs;

namespace Workbench.Tests.Evals;

/// <summary>
/// first_choice_rate measures what success on FashionGoTo cannot: whether the agent went to the named picture first. The
/// expert goes straight there; a random walk rarely does; the replayed first picture agrees with the live episode's end.
/// </summary>
public sealed class FirstChoiceTests : IDisposable
{
    private readonly string _dir = TestSupport.TempDir();
    public void Dispose() { }

    private IReadOnlyList<EpisodeRecord> Eval(string policy)
    {
        string suite = Path.Combine(_dir, "first-choice.yaml");
        File.WriteAllText(suite, string.Join("\n", "kind: suite", "name: first-choice", "version: 1", "tasks:", "  - name: goto",
            "    level: FashionGoTo", "    seeds: {start: 3000000, count: 40}", "    scorers: [fashion, success]") + "\n");
        string results = Path.Combine(_dir, "evals-out");
        CliRun.Of("eval", suite, "--policy", policy, "--quiet", "--results-root", results).Expect(ExitCodes.Ok);
        string file = Evaluation.ResultPath(policy, "first-choice", root: results);
        using var summary = JsonDocument.Parse(File.ReadAllText(Evaluation.SummaryPath(file)));
        Assert.Contains(summary.RootElement.GetProperty("estimates").EnumerateArray(), e => e.GetProperty("metric").GetString() == "first_choice_rate");
        return EpisodeRecordFile.Read(file);
    }

    [FashionFact]
    public void The_expert_chooses_the_named_picture_first_and_a_random_walk_mostly_does_not()
    {
        var bot = Eval("bot");
        Assert.All(bot, r => Assert.NotNull(r.FirstFacedClass));
        // A successful GoTo ends facing the target, so whatever was faced first, something was.
        Assert.All(bot.Where(r => r.Success), r => Assert.True(r.FirstFacedClass >= 0));
        double botRate = bot.Average(r => r.FirstFacedClass == r.TargetClass ? 1.0 : 0.0);
        Assert.True(botRate >= 0.9, $"bot first choice {botRate}");

        var random = Eval("random");
        double randomRate = random.Average(r => r.FirstFacedClass == r.TargetClass ? 1.0 : 0.0);
        Assert.True(randomRate < 0.5, $"random first choice {randomRate}");
        // Where a random episode succeeded without facing another picture before, its first picture is the target.
        Assert.All(random.Where(r => r.Success && r.FirstFacedClass == r.ReachedClass), r => Assert.Equal(r.TargetClass, r.FirstFacedClass));
    }
}
