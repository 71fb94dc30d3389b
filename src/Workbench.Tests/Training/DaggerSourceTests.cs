using Workbench.Config;
using Workbench.Data;
using Workbench.Envs;
using Workbench.Rollouts;
using Workbench.Training;

namespace Workbench.Tests.Training;

[Collection(TorchCollection.Name)]
public class DaggerSourceTests
{
    public DaggerSourceTests() => TestSupport.SingleThread();

    /// <summary>A 6-step transformer/tiny registered as agent@v1 in the test's registry: a learner that mostly fails.</summary>
    private static BehaviourCloningRecipe.Options RegisterLearner(string dir)
    {
        var options = TestSupport.Quiet(dir);
        string run;
        using (var recipe = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir), options)) run = recipe.Train().RunDir;
        ModelVersions.Register(run, "agent", "v1", options.RegistryRoot);
        return options;
    }

    [Fact]
    public void EpisodesThatTheModelPlaysAreLabelledWithWhatTheBotWouldDoFromEachStateReached()
    {
        string dir = TestSupport.TempDir();
        var options = RegisterLearner(dir);
        var (episodes, sha) = DaggerSource.Parse("dagger:GoToRedBallGrey:6:agent@v1").Collect(ObservationSpec.Symbolic, options.RegistryRoot);
        Assert.Equal(ModelVersions.Find("agent@v1", options.RegistryRoot).CheckpointSha256, sha);
        Assert.Equal(6, episodes.Count);

        // What the model does on those seeds, played on its own through the eval loop (one slot: another width than Collect's).
        var executed = new Dictionary<long, IReadOnlyList<AgentAction>>();
        using (var policy = new ModelPolicy("agent@v1", ModelVersions.Resolve("agent@v1", options.RegistryRoot)))
        {
            var starts = Enumerable.Range(0, 6).Select(i =>
            {
                var env = LevelRegistry.Create("GoToRedBallGrey");
                long seed = DaggerSource.FirstSeed + i;
                return new RolloutEpisode(env, env.Reset(seed), "GoToRedBallGrey", seed, i);
            });
            foreach (var e in RolloutLoop.Run(policy, starts, width: 1)) executed[e.Seed] = e.Actions;
        }

        // Replayed independently: the frames are what the model saw, each label is a fresh bot's choice in that state.
        int disagreements = 0;
        foreach (var episode in episodes)
        {
            Assert.Equal("GoToRedBallGrey", episode.Level);
            var actions = executed[episode.Seed];
            Assert.Equal(actions.Count, episode.Steps.Length);
            var env = LevelRegistry.Create("GoToRedBallGrey");
            var obs = env.Reset(episode.Seed);
            Assert.Equal(obs.Mission, episode.Mission);
            var bot = new Bot(env);
            for (int k = 0; k < actions.Count; k++)
            {
                Assert.Equal(obs.Symbolic, episode.Steps[k].Obs.ToArray());
                Assert.Equal(obs.Direction, episode.Steps[k].Direction);
                Assert.Equal((int)bot.Act(), episode.Steps[k].Action);
                if ((int)actions[k] != episode.Steps[k].Action) disagreements++;
                var result = env.Step(actions[k]);
                Assert.Equal(result.Reward, episode.Steps[k].Reward);
                Assert.Equal(k == actions.Count - 1, episode.Steps[k].Done);
                obs = result.Observation;
            }
        }
        Assert.True(disagreements > 0, "the learner never disagreed with the bot: the labels could be its own actions");

        // Played again (as a resumed run in a new process does, the episodes being regenerated): the same data.
        var (again, _) = DaggerSource.Parse("dagger:GoToRedBallGrey:6:agent@v1").Collect(ObservationSpec.Symbolic, options.RegistryRoot);
        Assert.Equal(episodes.Select(Describe), again.Select(Describe));
    }

    private static string Describe(DemoEpisode e) =>
        $"{e.Seed} {e.Mission} " + string.Join(",", e.Steps.Select(s => $"{s.Action}/{s.Direction}/{s.Reward}/{s.Done}/{Convert.ToHexString(s.Obs.Span)}"));

    [Fact]
    public void WithBetaOneTheBotPlaysAndTheEpisodesAreTheBotsOwnDemonstrationsRenderedAsTheModelReadsThem()
    {
        string dir = TestSupport.TempDir();
        var options = RegisterLearner(dir);
        var (episodes, _) = DaggerSource.Parse("dagger:GoToRedBallGrey:3:agent@v1:1").Collect(ObservationSpec.Symbolic, options.RegistryRoot);
        for (int i = 0; i < 3; i++)
        {
            var demo = DatasetBuilder.Play("GoToRedBallGrey", DaggerSource.FirstSeed + i, DaggerSource.FirstSeed + i).Episode;
            Assert.Equal(demo.Steps.Select(s => s.Action), episodes[i].Steps.Select(s => s.Action));
            Assert.Equal(demo.Steps.Select(s => Convert.ToHexString(s.Obs.Span)), episodes[i].Steps.Select(s => Convert.ToHexString(s.Obs.Span)));
        }
    }

    [Fact]
    public void TrainingOnBotDemosAndTheModelsOwnEpisodesRunsAndTheDataFingerprintNamesTheCheckpointThatPlayedThem()
    {
        string dir = TestSupport.TempDir();
        var options = RegisterLearner(dir);
        string Fingerprint(string sources)
        {
            var config = TestSupport.Experiment(dir, $"data.sources=[{sources}]", "train.init_from=agent@v1", "name=round2");
            using var recipe = BehaviourCloningRecipe.Start(config, options);
            return RunDirectory.Open(recipe.Train().RunDir).ReadInfo().DatasetFingerprint!;
        }
        string botOnly = Fingerprint("{path: 'bot:GoToRedBallGrey:60'}");
        string aggregated = Fingerprint("{path: 'bot:GoToRedBallGrey:60'}, {path: 'dagger:GoToRedBallGrey:8:agent@v1'}");
        Assert.NotEqual(botOnly, aggregated);
        Assert.Equal(aggregated, Fingerprint("{path: 'bot:GoToRedBallGrey:60'}, {path: 'dagger:GoToRedBallGrey:8:agent@v1'}"));
    }

    [Theory]
    [InlineData("dagger:GoToRedBallGrey:6", "expected dagger:<Level>:<episodes>:<name@version>")]
    [InlineData("dagger:NoSuchLevel:6:agent@v1", "unknown level 'NoSuchLevel'")]
    [InlineData("dagger:GoToRedBallGrey:0:agent@v1", "episodes must be a whole number ≥ 1, got '0'")]
    [InlineData("dagger:GoToRedBallGrey:6:agent", "'agent' is not a registered model reference name@version")]
    [InlineData("dagger:GoToRedBallGrey:6:agent@v1:1.5", "beta must be a number in [0, 1], got '1.5'")]
    public void AMalformedDaggerSourceIsRefusedWithTheSyntax(string path, string expected)
    {
        var error = Assert.Throws<UserError>(() => DaggerSource.Parse(path));
        Assert.Contains($"'{path}'", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AModelThatIsNotRegisteredOrReadsAnotherObservationIsRefusedByValidateAndBeforeTraining()
    {
        string dir = TestSupport.TempDir();
        var options = RegisterLearner(dir);
        var source = DaggerSource.Parse("dagger:GoToRedBallGrey:6:agent@v1");
        Assert.Null(source.Problem(ObservationSpec.Symbolic, options.RegistryRoot));
        Assert.Contains("agent@v1 reads symbolic (7x7x3) observations, but the model being trained reads rgb tile 8",
            source.Problem(ObservationSpec.Rgb(8), options.RegistryRoot));
        var pixels = Assert.Throws<UserError>(() => source.Collect(ObservationSpec.Rgb(8), options.RegistryRoot));
        Assert.Contains("dagger:GoToRedBallGrey:6:agent@v1", pixels.Message);

        // Before any step: a reference the registry does not hold names the source and the model.
        var missing = Assert.Throws<UserError>(() => BehaviourCloningRecipe.Start(
            TestSupport.Experiment(dir, "data.sources=[{path: 'dagger:GoToRedBallGrey:6:no-such-agent@v3'}]"), options));
        Assert.Contains("no-such-agent@v3", missing.Message);
        Assert.Contains("dagger:GoToRedBallGrey:6:no-such-agent@v3", missing.Message);

        // validate: a malformed source is refused at its key.
        var error = Assert.Throws<ConfigException>(() => TestSupport.Experiment(dir, "data.sources=[{path: 'dagger:GoToRedBallGrey:six:agent@v1'}]"));
        var problem = Assert.Single(error.Problems, p => p.Path.Contains("data.sources[0].path"));
        Assert.Contains("episodes must be a whole number", problem.Message);
    }
}
