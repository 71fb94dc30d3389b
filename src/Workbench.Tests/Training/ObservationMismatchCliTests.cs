namespace Workbench.Tests.Training;

/// <summary>
/// Bad input at the observation contract, as a user meets it: an image model on a symbolic dataset, a symbolic model
/// on an rgb dataset, or a tile size that does not match. `workbench validate` and `workbench train` both exit 2 with
/// one message naming the key, both observations and the fix — and train stops before any step (no run directory).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ObservationMismatchCliTests : IDisposable
{
    private readonly string _dir = TestSupport.TempDir();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Err) Run(params string[] args)
    {
        var run = Workbench.Tests.Cli.CliRun.Of(args);
        return (run.Code, run.Err);
    }

    /// <summary>Builds a 4-episode GoToRedBallGrey dataset of <paramref name="observation"/> into <c>name/</c>.</summary>
    private string Dataset(string name, string observation, int tile = 8)
    {
        string recipe = Path.Combine(_dir, $"{name}.yaml");
        File.WriteAllText(recipe, $"kind: dataset\nname: {name}\nlevels: [GoToRedBallGrey]\nepisodes: 4\nobservation: {observation}\ntile_size: {tile}\n" +
                                  $"rows_per_group: 64\nshard_rows: 512\noutput: {Path.Combine(_dir, name)}\nseed: 1\n");
        Assert.Equal(0, Run("data", "build", recipe).Code);
        return Path.Combine(_dir, name);
    }

    private string Experiment(string data, string observation, int tile)
    {
        string path = Path.Combine(_dir, $"exp-{observation}-{tile}.yaml");
        File.WriteAllText(path, $"""
            kind: experiment
            name: mismatch
            device: cpu
            threads: 1
            data:
              sources:
                - path: {data}
              validation_episodes: 0
            model:
              family: transformer
              size: tiny
              observation: {observation}
              tile_size: {tile}
            train:
              steps: 2
              batch_size: 2
            """);
        return path;
    }

    public static TheoryData<string, string, int, int, string, string> Mismatches() => new()
    {
        // data observation, model observation, data tile, model tile, what the data holds, the fix
        { "symbolic", "rgb", 8, 8, "symbolic (7x7x3)", "set model.observation: symbolic" },
        { "rgb", "symbolic", 8, 8, "rgb tile 8 (56x56x3)", "set model.observation: rgb and model.tile_size: 8" },
        { "rgb", "rgb", 8, 16, "rgb tile 8 (56x56x3)", "set model.observation: rgb and model.tile_size: 8" },
    };

    [Theory, MemberData(nameof(Mismatches))]
    public void Validate_and_train_refuse_a_model_that_reads_another_observation_with_exit_2(
        string dataObservation, string modelObservation, int dataTile, int modelTile, string held, string fix)
    {
        string data = Dataset($"data-{dataObservation}-{dataTile}", dataObservation, dataTile);
        string experiment = Experiment(data, modelObservation, modelTile);
        string runs = Path.Combine(_dir, "runs");

        foreach (var command in new[] { new[] { "validate", experiment }, new[] { "train", experiment, "--runs", runs, "--quiet" } })
        {
            var (code, err) = Run(command);
            Assert.Equal(2, code);
            Assert.Contains("model.observation", err);
            Assert.Contains(held, err);
            Assert.Contains(fix, err);
            Assert.DoesNotContain("   at ", err);
        }
        Assert.False(Directory.Exists(runs), "train must refuse before it creates a run (no step runs)");
    }

    [Fact]
    public void The_matching_observation_validates_and_trains()
    {
        string data = Dataset("data-rgb-4", "rgb", 4);
        string experiment = Experiment(data, "rgb", 4);
        Assert.Equal(0, Run("validate", experiment).Code);
        Assert.Equal(0, Run("train", experiment, "--runs", Path.Combine(_dir, "runs"), "--quiet").Code);
    }
}
