using Workbench.Evals.Records;
using Workbench.Workflows;
using Workbench.Training;

namespace Workbench.Tests.Quickstart;

/// <summary>The quickstart sets the working directory (its configs are repository-relative): run it alone.</summary>
[CollectionDefinition(nameof(WorkingDirectoryCollection), DisableParallelization = true)]
public sealed class WorkingDirectoryCollection;

[Collection(nameof(WorkingDirectoryCollection))]
public class QuickstartFlowTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("wb-quickstart-").FullName;
    private readonly string _previousDirectory = Directory.GetCurrentDirectory();

    public void Dispose()
    {
        Directory.SetCurrentDirectory(_previousDirectory);
        Directory.Delete(_out, recursive: true);
    }

    [Fact]
    public void Quickstart_runs_the_whole_flow_and_reports_both_versions_against_random()
    {
        Directory.SetCurrentDirectory(RepoRoot.Path);
        var log = new StringWriter();
        var result = new QuickstartFlow(new QuickstartOptions
        {
            // Same configs as the real quickstart, shrunk so the test takes seconds.
            ExperimentOverrides = ["train.steps=6", "train.eval_every=3", "train.checkpoint_every=3", "train.log_every=1", "data.validation_episodes=4"],
            SuiteOverrides = ["tasks=[{name: goto-red-ball-grey, level: GoToRedBallGrey, seeds: {start: 1000000, count: 12}, scorers: [success, reward, episode_length]}]"],
            RunsRoot = Path.Combine(_out, "runs"),
            RegistryRoot = Path.Combine(_out, "registry"),
            ResultsRoot = Path.Combine(_out, "evals-out"),
            ReportFolder = Path.Combine(_out, "report"),
            ShowProgress = false,
            Log = log,
        }).Run();

        // Two registered versions, each evaluated on the same 12 seeded episodes as the random policy.
        Assert.Equal(["v1", "v2"], ModelVersions.List(Path.Combine(_out, "registry")).Select(v => v.Version).Order());
        foreach (string policy in new[] { "quickstart@v1", "quickstart@v2", "random" })
        {
            var records = EpisodeRecordFile.Read(Path.Combine(_out, "evals-out", policy, "quickstart.parquet"));
            Assert.Equal(Enumerable.Range(0, 12).Select(i => 1_000_000L + i), records.Select(r => r.Seed).Order());
        }
        Assert.Equal(2, result.Success.Count);
        Assert.All(result.Success, s => Assert.InRange(s.Success, s.Low, s.High));
        Assert.InRange(result.RandomSuccess, 0, 1);

        // The report shows both versions' learning curves and success rates, and says where it is.
        string html = File.ReadAllText(result.Report.Html);
        Assert.Contains("quickstart@v1", html);
        Assert.Contains("quickstart@v2", html);
        Assert.Contains("success_rate", html);
        Assert.Contains("Learning curves", html);
        Assert.Contains("data:image/png;base64,", html);
        Assert.Contains(Path.GetFullPath(result.Report.Html), log.ToString());
    }

    [Workbench.Tests.Envs.FashionFact]
    public void Vision_quickstart_pretrains_the_tower_trains_symbolic_and_pixel_agents_and_compares_them()
    {
        // The same configs as `workbench quickstart --vision`, shrunk: a synthetic Fashion-MNIST-format dataset for the
        // tower (the real import takes minutes), a few steps, 40 demos and 6 seeds per task.
        Directory.SetCurrentDirectory(RepoRoot.Path);
        string fashion = Workbench.Tests.Training.SyntheticFashion.Imported(_out);
        var log = new StringWriter();
        var result = new QuickstartFlow(QuickstartOptions.Vision() with
        {
            PretrainOverrides = [$"data.folder={fashion}", "data.import_if_missing=false", "data.validation_images=20", "train.steps=4", "train.eval_every=2", "train.checkpoint_every=2"],
            ExperimentOverrides = ["train.steps=4", "train.eval_every=2", "train.checkpoint_every=2", "train.log_every=1", "data.validation_episodes=2",
                "train.rollout.episodes=4", "data.sources=[{path: \"bot:FashionGoTo:40\"}]"],
            // v3's DAgger round: v2 (registered just before) plays 4 episodes, labelled by the bot.
            OverridesPerExperiment = [[], [], ["data.sources=[{path: \"bot:FashionGoTo:40\"}, {path: \"dagger:FashionGoTo:4:quickstart-vision@v2\"}]"]],
            SuiteOverrides = ["tasks=[{name: fashion-goto, level: FashionGoTo, seeds: {start: 1000000, count: 6}, scorers: [success, fashion]}, " +
                              "{name: fashion-goto-test-images, level: FashionGoToTest, seeds: {start: 1000000, count: 6}, scorers: [success, fashion]}]"],
            RunsRoot = Path.Combine(_out, "runs"),
            RegistryRoot = Path.Combine(_out, "registry"),
            ResultsRoot = Path.Combine(_out, "evals-out"),
            ReportFolder = Path.Combine(_out, "report"),
            ShowProgress = false,
            Log = log,
        }).Run();

        // The tower is registered as a classifier version, and v2 (pixels) read its image part from it.
        var versions = ModelVersions.List(Path.Combine(_out, "registry"));
        Assert.Equal(ImageClassifier.Task, versions.Single(v => v.Name == "quickstart-vision-tower").Task);
        Assert.Equal(Workbench.Envs.ObservationSpec.Symbolic, versions.Single(v => v.Reference == "quickstart-vision@v1").Spec.Input);
        Assert.Equal(Workbench.Envs.ObservationSpec.Rgb(8), versions.Single(v => v.Reference == "quickstart-vision@v2").Spec.Input);
        var v3 = versions.Single(v => v.Reference == "quickstart-vision@v3");
        Assert.Equal(Workbench.Envs.ObservationSpec.Rgb(8), v3.Spec.Input);
        Assert.Contains("dagger:FashionGoTo:4:quickstart-vision@v2", File.ReadAllText(Path.Combine(v3.SourceRun, "config.yaml")));
        Assert.Contains("pretrained quickstart-vision-tower@v1", log.ToString());
        Assert.DoesNotContain("[1/5] dataset", log.ToString());

        // The three agents and random played the same 12 episodes; the report compares pixels + DAgger (v3) with symbols (v1).
        foreach (string policy in new[] { "quickstart-vision@v1", "quickstart-vision@v2", "quickstart-vision@v3", "random" })
            Assert.Equal(12, EpisodeRecordFile.Read(Path.Combine(_out, "evals-out", policy, "vision-quickstart.parquet")).Count);
        string html = File.ReadAllText(result.Report.Html);
        Assert.Contains("Workbench vision quickstart", html);
        Assert.Contains("quickstart-vision@v2", html);
        Assert.Contains("quickstart-vision@v3", html);
        Assert.Contains("quickstart-vision@v3 vs quickstart-vision@v1", log.ToString());
        Assert.Contains("fashion-goto-test-images", html);
    }
}
