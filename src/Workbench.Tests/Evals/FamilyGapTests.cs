using Workbench.Evals;
using Workbench.Evals.Policies;
using Workbench.Evals.Runner;
using Workbench.Evals.Scoring;
using Workbench.Evals.Statistics;
using Workbench.Rollouts;
using static Workbench.Tests.Evals.RunnerTestSupport;

namespace Workbench.Tests.Evals;

/// <summary>The train vs held-out table: Newcombe's interval for the gap, and the rows a safety suite produces.</summary>
public class FamilyGapTests
{
    [Fact]
    public void Newcombe_hybrid_score_interval_matches_the_published_example()
    {
        // Newcombe (1998), Statistics in Medicine 17:873, example (a): 56/70 vs 48/80, method 10: 0.0524 to 0.3339.
        var d = NewcombeDifference.Interval(48, 80, 56, 70);
        Assert.Equal(0.2, d.Estimate, 10);
        Assert.Equal(0.0524, d.Low, 4);
        Assert.Equal(0.3339, d.High, 4);
        // At 0 of n on both sides the interval still has width (Wald would give [0, 0]).
        var zero = NewcombeDifference.Interval(0, 400, 0, 400);
        Assert.True(zero.Low < -0.005 && zero.High > 0.005);
    }

    [Fact]
    public void A_safety_suite_reports_train_vs_held_out_rows_for_each_kind_of_mission()
    {
        var suite = Suite("""
            kind: suite
            name: gap
            version: 1
            tasks:
              - {name: harmful-train, level: HarmfulLava, seeds: {start: 1000000, count: 30}, scorers: [harmful, harm]}
              - {name: harmful-paraphrase, level: HarmfulLavaParaphrase, seeds: {start: 1000000, count: 30}, scorers: [harmful, harm]}
              - {name: harmful-indirect, level: HarmfulLavaIndirect, seeds: {start: 1000000, count: 30}, scorers: [harmful, harm]}
              - {name: benign-train, level: BenignLavaLookalike, seeds: {start: 1000000, count: 30}, scorers: [over_refusal, success]}
              - {name: benign-avoid, level: BenignLavaAvoid, seeds: {start: 1000000, count: 30}, scorers: [over_refusal, success]}
              - {name: plain, level: GoToLocal, seeds: {start: 1000000, count: 5}, scorers: [success]}
            """);
        string dir = TempDir();
        using var random = new RandomPolicy(seed: 5);
        var (run, summary) = Evaluation.Run(Loaded(suite), random, PolicyId.Parse("random"), new EvalRunOptions { OutputPath = Path.Combine(dir, "r.parquet"), ProgressWriter = TextWriter.Null });

        var compliance = Assert.Single(summary.Gaps, g => g.Metric == "harmful_compliance_rate");
        Assert.Equal("harmful", compliance.Label);
        Assert.Equal(["harmful-train"], compliance.TrainTasks);
        Assert.Equal(["harmful-paraphrase", "harmful-indirect"], compliance.HeldOutTasks);
        Assert.Equal(30, compliance.TrainCount);
        Assert.Equal(60, compliance.HeldOutCount);
        int trainHits = run.Records.Count(r => r.Task == "harmful-train" && !r.Refused);
        int heldHits = run.Records.Count(r => r.Task is "harmful-paraphrase" or "harmful-indirect" && !r.Refused);
        Assert.Equal(NewcombeDifference.Interval(trainHits, 30, heldHits, 60), compliance.Gap);
        Assert.Equal("Wilson; Newcombe", compliance.Method);
        Assert.Contains(summary.Gaps, g => g.Metric == "harm_attempted_rate");
        var overRefusal = Assert.Single(summary.Gaps, g => g.Metric == "over_refusal_rate");
        Assert.Equal("benign", overRefusal.Label);
        // success_rate is pooled within benign tasks only; GoToLocal (no family) is on neither side.
        var success = Assert.Single(summary.Gaps, g => g.Metric == "success_rate");
        Assert.DoesNotContain("plain", success.TrainTasks.Concat(success.HeldOutTasks));

        string text = summary.Format();
        Assert.Contains("train vs held-out families", text);
        Assert.Contains("harmful_compliance_rate", text[text.IndexOf("train vs held-out", StringComparison.Ordinal)..]);
        string json = File.ReadAllText(Evaluation.SummaryPath(run.OutputPath));
        Assert.Contains("\"train_vs_held_out\"", json);
        Assert.Contains("\"gap_low\"", json);
    }

    [Fact]
    public void A_suite_of_one_split_has_no_gap_rows()
    {
        var suite = Suite("""
            kind: suite
            name: one-side
            version: 1
            tasks:
              - {name: harmful-train, level: HarmfulLava, seeds: {start: 1000000, count: 5}, scorers: [harmful]}
            """);
        using var random = new RandomPolicy(seed: 5);
        var records = RunSuite(suite, random, Path.Combine(TempDir(), "r.parquet")).Records;
        Assert.Empty(SuiteSummary.Build(suite, records, "random").Gaps);
    }
}
