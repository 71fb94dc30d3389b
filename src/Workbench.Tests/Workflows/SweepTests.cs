using Workbench.Config;
using Workbench.Evals.Records;
using Workbench.Reporting;
using Workbench.Training;
using Workbench.Workflows.Sweeps;

namespace Workbench.Tests.Workflows;

/// <summary>Sweeps run here: every point × seed trained, registered and evaluated; the table, plot and crossing; re-runs skip, interrupted runs resume.</summary>
[Collection(TorchCollection.Name)]
public class SweepTests
{
    private static SweepOptions Quiet(string dir, StringWriter log) => new() { RegistryRoot = Path.Combine(dir, "registry"), ShowProgress = false, Log = log };

    [Fact]
    public void A_sweep_trains_registers_and_evaluates_every_run_then_writes_the_table_plot_and_crossing_and_a_rerun_skips_them()
    {
        TestSupport.SingleThread();
        string dir = TestSupport.TempDir();
        var plan = SweepPlan.Load(SweepFixture.Write(dir));
        var log = new StringWriter();

        var report = new SweepRunner(plan, Quiet(dir, log)).Run();

        Assert.Equal(4, report.Runs.Count);
        Assert.Empty(report.Unfinished);
        Assert.Equal(["demos-20", "demos-40"], report.Points.Select(p => p.Point));
        Assert.All(report.Points, p =>
        {
            Assert.Equal(2, p.Seeds);
            Assert.Equal(40, p.Episodes);
            Assert.InRange(p.Mean, p.Low, p.High);
            Assert.Equal(p.PerSeed.Average(), p.Mean, 9); // equal episodes per seed: the pooled mean is the mean of the seeds
        });
        var versions = ModelVersions.List(Path.Combine(dir, "registry")).Select(v => v.Reference).ToHashSet();
        Assert.All(plan.Runs, r => Assert.Contains($"tiny@{r.Id}", versions));

        var points = Frames.ReadParquet(report.PointsTable);
        Assert.Equal(2, points.Rows.Count);
        Assert.Contains("demos", points.Columns.Select(c => c.Name));
        Assert.Equal(4, Frames.ReadParquet(report.RunsTable).Rows.Count);
        Assert.True(File.Exists(report.Plot!));
        string summary = File.ReadAllText(report.Markdown);
        Assert.Contains("## success_rate per point", summary);
        Assert.Contains("a reference number", summary);
        var crossing = Assert.Single(report.Crossings);
        Assert.Equal(0.3, crossing.Threshold);
        Assert.Equal(4, crossing.Runs);

        var before = report.Runs.ToDictionary(r => r.RunId, r => r.Finished);
        var again = new StringWriter();
        var rerun = new SweepRunner(SweepPlan.Load(plan.File), Quiet(dir, again)).Run();
        Assert.Equal(4, again.ToString().Split('\n').Count(l => l.Contains("finished before") && l.Contains("skipped")));
        Assert.All(rerun.Runs, r => Assert.Equal(before[r.RunId], r.Finished));
    }

    [Fact]
    public void An_interrupted_run_resumes_from_its_checkpoint_to_the_uninterrupted_result()
    {
        TestSupport.SingleThread();
        string whole = TestSupport.TempDir(), cut = TestSupport.TempDir();
        var straight = new SweepRunner(SweepPlan.Load(SweepFixture.Write(whole, seeds: "[1]", demos: "[20]")), Quiet(whole, new StringWriter())).RunOne(0);

        var plan = SweepPlan.Load(SweepFixture.Write(cut, seeds: "[1]", demos: "[20]"));
        using (var recipe = BehaviourCloningRecipe.Start(plan.Experiment(plan.Runs[0]), new BehaviourCloningRecipe.Options
               { RunsRoot = plan.RunsRoot(plan.Runs[0]), StopAfterStep = 3, ShowProgress = false }))
            Assert.Equal("stopped", recipe.Train().Status);
        var log = new StringWriter();
        var resumed = new SweepRunner(plan, Quiet(cut, log)).RunOne(0);

        Assert.Contains("resuming", log.ToString());
        Assert.Equal(6, resumed.Steps);
        Assert.Equal(straight.Value, resumed.Value);
        Assert.Equal(EpisodeRecordFile.Read(straight.EvalFile!).Select(r => r.WithoutTimings() with { Version = "" }),
            EpisodeRecordFile.Read(resumed.EvalFile!).Select(r => r.WithoutTimings() with { Version = "" }));
    }

    [Fact]
    public void A_changed_experiment_makes_its_runs_unfinished_again()
    {
        TestSupport.SingleThread();
        string dir = TestSupport.TempDir();
        var plan = SweepPlan.Load(SweepFixture.Write(dir, seeds: "[1]", demos: "[20]"));
        new SweepRunner(plan, Quiet(dir, new StringWriter())).RunOne(0);
        var changed = SweepPlan.Load(plan.File, ["set=[train.lr=0.002]"]);
        Assert.Null(SweepRunner.Finished(changed, changed.Runs[0], changed.Experiment(changed.Runs[0]), changed.Suite()));
        Assert.NotNull(SweepRunner.Finished(plan, plan.Runs[0], plan.Experiment(plan.Runs[0]), plan.Suite()));
    }
}
