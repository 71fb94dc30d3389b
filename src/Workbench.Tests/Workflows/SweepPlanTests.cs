using Workbench.Config;
using Workbench.Workflows.Sweeps;

namespace Workbench.Tests.Workflows;

/// <summary>Sweep files: how they expand into runs, what is refused, and that every shipped sweep's runs are valid experiments.</summary>
public class SweepPlanTests
{
    [Fact]
    public void The_grid_expands_seed_by_seed_with_the_overrides_in_order()
    {
        string dir = TestSupport.TempDir();
        var plan = SweepPlan.Load(SweepFixture.Write(dir, extra: """
            set: [train.steps=4]
            """));
        Assert.Equal(["demos-20_seed-1", "demos-40_seed-1", "demos-20_seed-2", "demos-40_seed-2"], plan.Runs.Select(r => r.Id));
        Assert.Equal(["train.steps=4", "data.sources=[{path: 'bot:GoToRedBallGrey:40'}]", "seed=2"], plan.Runs[3].Overrides);
        Assert.Equal(40, plan.Runs[3].X);
        var experiment = (Workbench.Training.ExperimentConfig)plan.Experiment(plan.Runs[3]).Value;
        Assert.Equal((4, 2L, "bot:GoToRedBallGrey:40"), (experiment.Train.Steps, experiment.Seed, experiment.Data.Sources.Single().Path));
        plan.Check();
    }

    [Fact]
    public void Listed_points_replace_the_grid_and_per_value_overrides_apply()
    {
        string dir = TestSupport.TempDir();
        var plan = SweepPlan.Load(SweepFixture.Write(dir, seeds: "[7]"), [
            "axes=[{name: demos, values: ['20', '40'], set: [\"data.sources=[{path: 'bot:GoToRedBallGrey:{value}'}]\"]}, " +
            "{name: agent, values: [transformer, film], overrides: {film: [model.family=babyai_film]}, key: model.family}]",
            "points=[{demos: '40', agent: film}]",
            "report.x=demos"]);
        var run = Assert.Single(plan.Runs);
        Assert.Equal("demos-40_agent-film_seed-7", run.Id);
        Assert.Equal("agent=film", run.Series);
        Assert.Contains("model.family=babyai_film", run.Overrides);
        Assert.Equal("babyai_film", ((Workbench.Training.ExperimentConfig)plan.Experiment(run).Value).Model.Family);
    }

    [Fact]
    public void Bad_sweep_files_report_every_problem_with_its_path()
    {
        string dir = TestSupport.TempDir();
        string file = SweepFixture.Write(dir, seeds: "[1, 1]");
        var e = Assert.Throws<ConfigException>(() => SweepPlan.Load(file, ["points=[{demos: '30'}]", "report.x=steps", "register=a b"]));
        Assert.Contains("seeds: seed 1 is listed 2 times", e.Message);
        Assert.Contains("points[0].demos: '30' is not one of the axis's values", e.Message);
        Assert.Contains("report.x: no axis named 'steps'", e.Message);
        Assert.Contains("register: use letters", e.Message);

        var axes = Assert.Throws<ConfigException>(() => SweepPlan.Load(file, ["seeds=[1]",
            "axes=[{name: demos, values: ['20', x], set: [no-placeholder=1]}, {name: seed, values: ['1']}]", "report.log_x=false"]));
        Assert.Contains("axes[0].set[0]: 'no-placeholder=1': expected key.path=value containing {value}", axes.Message);
        Assert.DoesNotContain("at least one axis", axes.Message);

        var reserved = Assert.Throws<ConfigException>(() => SweepPlan.Load(file, ["seeds=[1]", "axes=[{name: seed, values: ['1']}]", "report.log_x=false"]));
        Assert.Contains("axis name 'seed' is a column of the sweep table", reserved.Message);
    }

    [Fact]
    public void A_run_whose_experiment_is_invalid_is_named_before_anything_trains()
    {
        string dir = TestSupport.TempDir();
        var plan = SweepPlan.Load(SweepFixture.Write(dir), ["axes=[{name: demos, key: train.steps, values: ['5', '-1']}]", "report.log_x=false"]);
        var e = Assert.Throws<UserError>(plan.Check);
        Assert.Contains("2 of 4 runs have a bad experiment config", e.Message);
        Assert.Contains("demos--1_seed-1", e.Message);
    }

    public static TheoryData<string> ShippedSweeps()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.EnumerateFiles(Path.Combine(RepoRoot.Path, "experiments"), "*.yaml", SearchOption.AllDirectories).Order())
            if (File.ReadLines(file).Any(l => l.Trim() == "kind: sweep")) data.Add(Path.GetRelativePath(RepoRoot.Path, file));
        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedSweeps))]
    public void Every_run_of_a_shipped_sweep_is_a_valid_experiment_with_an_existing_suite_and_metric(string relative)
    {
        // Shipped sweeps name their files relative to the repository root, where users run them.
        using var _ = ConfigPaths.RelativeTo(RepoRoot.Path);
        var plan = SweepPlan.Load(Path.Combine(RepoRoot.Path, relative));
        plan.Check();
        Assert.True(plan.Runs.Count >= 2);
    }
}
