using Workbench.Config;
using Workbench.Envs;

namespace Workbench.Training;

/// <summary>
/// Root of an image-classifier file (<c>kind: image_classifier</c>): pretrain the image tower of an agent architecture on
/// Fashion-MNIST pictures drawn into tiles as the agent's view draws them, so the tower can start an agent
/// (<c>train.init_parts</c>). Trained by <see cref="ImageClassifierRecipe"/> through <c>workbench train</c>.
/// </summary>
[ConfigKind("image_classifier")]
public sealed class ImageClassifierConfig : IValidatable
{
    [RequiredKey, Doc("Classifier name; runs go to runs/<name>/")]
    public string Name { get; init; } = "";

    [Doc("Free text shown in reports")]
    public string Description { get; init; } = "";

    [Doc("Seeds the tower's init (torch.manual_seed), the order of pictures and the augmentation")]
    public long Seed { get; init; } = 1;

    [Doc("auto | cpu | cuda | cuda:N; auto picks CUDA when available")]
    public string Device { get; init; } = "auto";

    [Doc("Torch intra-op threads on CPU; 0 = library default")]
    [Range(0, 1024)]
    public int Threads { get; init; }

    public ClassifierDataSection Data { get; init; } = new();

    [Doc("The agent whose image tower is trained: family, size, observation (must be rgb) and tile_size. The classifier is that tower plus a class head, so its `image` part loads into exactly this agent")]
    public ModelSection Model { get; init; } = new() { Observation = ObservationModality.Rgb };

    public ClassifierTrainSection Train { get; init; } = new();

    public PictureAugmentation Augment { get; init; } = new();

    public void Validate(string path, ConfigErrors errors)
    {
        errors.Require(Runtime.DeviceSelector.IsValid(Device), ConfigErrors.Join(path, "device"),
            $"expected {string.Join(" | ", Runtime.DeviceSelector.Accepted)}, got '{Device}'");
        errors.Require(Name.Length == 0 || Name.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.'),
            ConfigErrors.Join(path, "name"), "use letters, digits, '-', '_' or '.' (it becomes a folder name)");
        errors.Require(Model.Observation == ObservationModality.Rgb, ConfigErrors.Join(path, "model.observation"),
            "an image classifier trains the tower of a pixel model: set model.observation: rgb (and model.tile_size to the agent's)");
    }
}

public sealed class ClassifierDataSection : IValidatable
{
    [Doc("Folder with train.parquet and test.parquet as `workbench data import-fashion-mnist` writes them")]
    public string Folder { get; init; } = "datasets/fashion-mnist";

    [Doc("When the folder lacks the files, import them first from the idx files ($WORKBENCH_FASHION_MNIST or the Debian package dataset-fashion-mnist)")]
    public bool ImportIfMissing { get; init; } = true;

    [Doc("Train-split pictures held out for model selection (a fixed subset, the same for every seed); the test split is only scored at the end")]
    [Range(0, 30_000)]
    public int ValidationImages { get; init; } = 5000;

    public void Validate(string path, ConfigErrors errors) =>
        errors.Require(Folder.Length > 0, ConfigErrors.Join(path, "folder"), "name the folder of the imported Parquet files");
}

public sealed class ClassifierTrainSection
{
    [Doc("Optimizer steps")]
    [Range(1, double.PositiveInfinity)]
    public int Steps { get; init; } = 3000;

    [Doc("Pictures per optimizer step")]
    [Range(1, double.PositiveInfinity)]
    public int BatchSize { get; init; } = 128;

    [Doc("Peak learning rate (AdamW)")]
    [Range(0, 1, MinExclusive = true)]
    public double Lr { get; init; } = 3e-3;

    [Doc("Learning rate at the end of the cosine, as a fraction of lr")]
    [Range(0, 1)]
    public double MinLrRatio { get; init; } = 0.05;

    [Doc("AdamW decoupled weight decay")]
    [Range(0, 1)]
    public double WeightDecay { get; init; } = 0.01;

    [Doc("Linear warmup steps before cosine decay")]
    [Range(0, double.PositiveInfinity)]
    public int WarmupSteps { get; init; } = 100;

    [Doc("Clip the global gradient norm to this value; 0 disables")]
    [Range(0, double.PositiveInfinity)]
    public double GradClip { get; init; } = 1.0;

    [Doc("Log metrics every N steps")]
    [Range(1, double.PositiveInfinity)]
    public int LogEvery { get; init; } = 50;

    [Doc("Validation accuracy every N steps (best.ckpt keeps the best); 0 = only at the end")]
    [Range(0, double.PositiveInfinity)]
    public int EvalEvery { get; init; } = 500;

    [Doc("Save a resumable checkpoint every N steps (and always at the end)")]
    [Range(1, double.PositiveInfinity)]
    public int CheckpointEvery { get; init; } = 500;

    [Doc("Step checkpoints kept on disk (oldest deleted); best.ckpt is kept besides")]
    [Range(1, double.PositiveInfinity)]
    public int KeepCheckpoints { get; init; } = 2;
}
