using Workbench.Config;
using Workbench.Data;
using Workbench.Envs;
using Workbench.Training;
using static TorchSharp.torch;

namespace Workbench.Tests.Training;

/// <summary>
/// The image-tower classifier recipe on a small Fashion-MNIST-format dataset (idx files → import → Parquet, as a user's
/// would be): it learns, resumes exactly (augmentation included), registers as a version, and its tower starts an agent's
/// `image` part through train.init_parts (frozen or not); mismatches are user errors before any step.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ImageClassifierTests : IDisposable
{
    private readonly string _dir = TestSupport.TempDir();
    private readonly string _data;

    public ImageClassifierTests()
    {
        TestSupport.SingleThread();
        _data = SyntheticFashion.Imported(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private LoadedConfig Classifier(params string[] overrides)
    {
        string path = Path.Combine(_dir, "classifier.yaml");
        File.WriteAllText(path, $"""
            kind: image_classifier
            name: tower
            seed: 4
            device: cpu
            threads: 1
            data:
              folder: {_data}
              import_if_missing: false
              validation_images: 50
            model:
              family: transformer
              size: tiny
              observation: rgb
              tile_size: 4
            train:
              steps: 8
              batch_size: 16
              warmup_steps: 2
              log_every: 1
              eval_every: 4
              checkpoint_every: 2
              keep_checkpoints: 10
            augment:
              flip: 0.5
              shift: 2
              contrast: 0.2
            """);
        return TrainingRecipes.Load(path, overrides);
    }

    private BehaviourCloningRecipe.Options Options(string runs) => new() { RunsRoot = Path.Combine(_dir, runs), RegistryRoot = Path.Combine(_dir, "registry"), ShowProgress = false };

    private static Dictionary<string, Tensor> Weights(nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    [Fact]
    public void A_resumed_classifier_run_ends_bitwise_equal_to_an_uninterrupted_one_with_augmentation()
    {
        TrainResult straight;
        using (var recipe = (ImageClassifierRecipe)TrainingRecipes.Start(Classifier(), Options("a"))) straight = recipe.Train();
        using (var recipe = (ImageClassifierRecipe)TrainingRecipes.Start(Classifier(), Options("b") with { StopAfterStep = 3 }))
            Assert.Equal("stopped", recipe.Train().Status);
        string interrupted = Directory.GetDirectories(Path.Combine(_dir, "b", "tower")).Single();
        TrainResult resumed;
        using (var recipe = TrainingRecipes.Resume(interrupted, Options("b"))) resumed = recipe.Train();

        Assert.Equal("completed", resumed.Status);
        using var a = Checkpoint.LoadClassifier(straight.LastCheckpoint!);
        using var b = Checkpoint.LoadClassifier(resumed.LastCheckpoint!);
        TestSupport.AssertBitwiseEqual(Weights(a), Weights(b));
        Assert.Equal(straight.Metrics["test_accuracy"], resumed.Metrics["test_accuracy"]);
    }

    [Fact]
    public void The_classifier_learns_registers_and_starts_an_agents_image_tower()
    {
        TrainResult result;
        using (var recipe = TrainingRecipes.Start(Classifier("train.steps=150", "train.eval_every=50", "train.checkpoint_every=50"), Options("runs")))
            result = recipe.Train();
        Assert.True(result.Metrics["test_accuracy"] > 0.8, $"test accuracy {result.Metrics["test_accuracy"]} on separable synthetic classes");
        Assert.True(result.Metrics["best_val_accuracy"] > 0.8);

        string registry = Path.Combine(_dir, "registry");
        var version = ModelVersions.Register(result.RunDir, "tower", "v1", registry);
        Assert.Equal(ImageClassifier.Task, version.Task);
        Assert.Contains("init_parts", Assert.Throws<UserError>(() => ModelVersions.Resolve("tower@v1", registry)).Message);

        using var tower = Checkpoint.LoadClassifier(version.Checkpoint);
        var pretrained = Weights(tower).Where(kv => kv.Key.StartsWith("image.", StringComparison.Ordinal)).ToDictionary();
        Assert.NotEmpty(pretrained);

        // Frozen: the agent starts with exactly the tower, and two steps later still has it; the rest trains.
        var agent = TestSupport.Experiment(_dir, "model.observation=rgb", "model.tile_size=4", "train.steps=2", "data.validation_episodes=0",
            "train.init_parts=[{from: tower@v1, module: image}]", "train.freeze=[\"image.*\"]");
        using (var recipe = BehaviourCloningRecipe.Start(agent, TestSupport.Quiet(_dir)))
        {
            var before = TestSupport.Weights(recipe.Model);
            TestSupport.AssertBitwiseEqual(pretrained, before.Where(kv => kv.Key.StartsWith("image.", StringComparison.Ordinal)).ToDictionary());
            recipe.Train();
            var after = TestSupport.Weights(recipe.Model);
            TestSupport.AssertBitwiseEqual(pretrained, after.Where(kv => kv.Key.StartsWith("image.", StringComparison.Ordinal)).ToDictionary());
            Assert.False(before["head.linear.weight"].eq(after["head.linear.weight"]).all().item<bool>(), "the rest of the agent must train");
        }

        // A tower of another tile size does not fit: refused before any step, naming both observations.
        var other = TestSupport.Experiment(_dir, "model.observation=rgb", "model.tile_size=8", "train.init_parts=[{from: tower@v1, module: image}]");
        var error = Assert.Throws<UserError>(() => BehaviourCloningRecipe.Start(other, TestSupport.Quiet(_dir)));
        Assert.Contains("train.init_parts[0]", error.Message);
        Assert.Contains("rgb tile 4 (28x28x3)", error.Message);
        Assert.Contains("rgb tile 8 (56x56x3)", error.Message);

        // A module the source lacks is named with the modules it has.
        var missing = TestSupport.Experiment(_dir, "model.observation=rgb", "model.tile_size=4", "train.init_parts=[{from: tower@v1, module: blocks}]");
        Assert.Contains("top-level modules: image, head", Assert.Throws<UserError>(() => BehaviourCloningRecipe.Start(missing, TestSupport.Quiet(_dir))).Message);
    }

    [Fact]
    public void A_classifier_of_a_symbolic_model_is_refused_at_validation()
    {
        var error = Assert.Throws<ConfigException>(() => Classifier("model.observation=symbolic"));
        Assert.Contains("model.observation", error.Message);
        Assert.Contains("rgb", error.Message);
    }

    [Fact]
    public void A_missing_imported_split_names_the_file_and_the_import_command()
    {
        File.Delete(Path.Combine(_data, "test.parquet"));
        var error = Assert.Throws<UserError>(() => TrainingRecipes.Start(Classifier(), Options("runs")));
        Assert.Contains("test.parquet", error.Message);
        Assert.Contains("workbench data import-fashion-mnist", error.Message);
    }

    [Fact]
    public void Augmentation_flips_shifts_and_scales_pictures_reproducibly_from_the_rng()
    {
        var picture = new byte[FashionSplit.Pixels];
        picture[0] = 100; // top-left corner
        var augment = new PictureAugmentation { Flip = 1, Shift = 0, Contrast = 0 };
        var output = new byte[FashionSplit.Pixels];
        augment.Apply(picture, output, new Workbench.Runtime.Rng(1));
        Assert.Equal(100, output[FashionSplit.Side - 1]); // flipped to the top-right corner
        Assert.Equal(0, output[0]);

        var jitter = new PictureAugmentation { Flip = 0.5, Shift = 2, Contrast = 0.2 };
        var (a, b) = (new byte[FashionSplit.Pixels], new byte[FashionSplit.Pixels]);
        jitter.Apply(picture, a, new Workbench.Runtime.Rng(7));
        jitter.Apply(picture, b, new Workbench.Runtime.Rng(7));
        Assert.Equal(a, b);
    }
}
