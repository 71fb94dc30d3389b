using Workbench.Config;

namespace Workbench.Training;

/// <summary>Root of an experiment file (<c>kind: experiment</c>): what to train, on what data, how.</summary>
public sealed class ExperimentConfig : IValidatable
{
    [RequiredKey, Doc("Experiment name; runs go to runs/<name>/")]
    public string Name { get; init; } = "";

    [Doc("Free text shown in reports")]
    public string Description { get; init; } = "";

    [Doc("Seeds model init, data order and rollouts")]
    public long Seed { get; init; } = 1;

    [Doc("auto | cpu | cuda | cuda:N; auto picks CUDA when available")]
    public string Device { get; init; } = "auto";

    [Doc("Torch intra-op threads on CPU; 0 = library default")]
    [Range(0, 1024)]
    public int Threads { get; init; }

    public DataSection Data { get; init; } = new();
    public ModelSection Model { get; init; } = new();
    public TrainSection Train { get; init; } = new();

    public void Validate(string path, ConfigErrors errors)
    {
        errors.Require(Runtime.DeviceSelector.IsValid(Device), ConfigErrors.Join(path, "device"),
            $"expected {string.Join(" | ", Runtime.DeviceSelector.Accepted)}, got '{Device}'");
        errors.Require(Name.Length == 0 || Name.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.'),
            ConfigErrors.Join(path, "name"), "use letters, digits, '-', '_' or '.' (it becomes a folder name)");
    }
}

public sealed class DataSource
{
    [RequiredKey, Doc("Parquet file, folder or glob (relative to the working directory)")]
    public string Path { get; init; } = "";

    [Doc("Sampling weight in a mixture of sources")]
    [Range(0, double.PositiveInfinity, MinExclusive = true)]
    public double Proportion { get; init; } = 1.0;
}

public sealed class DataSection : IValidatable
{
    [Doc("Training data sources (demonstration datasets)")]
    public List<DataSource> Sources { get; init; } = [];

    [Doc("Dataset recipe to build first when the sources are missing (optional)")]
    public string? Recipe { get; init; }

    [Doc("Shuffle row groups per epoch and episodes within a shuffle block (order is set by the experiment seed)")]
    public bool Shuffle { get; init; } = true;

    [Doc("Episodes gathered from consecutive row groups and shuffled together; memory grows with it")]
    [Range(0, 1_000_000)]
    public int ShuffleBuffer { get; init; } = 256;

    [Doc("Decoded row groups queued ahead of training (background prefetch)")]
    [Range(1, 1024)]
    public int Prefetch { get; init; } = 2;

    [Doc("Row groups decoded in parallel; never changes the order of episodes")]
    [Range(1, 256)]
    public int DecodeThreads { get; init; } = 2;

    [Doc("error | warn | skip: what to do with a truncated, corrupt or mis-typed file; skips are counted and reported")]
    public Data.BadFilePolicy OnBadFile { get; init; } = Data.BadFilePolicy.Error;

    public void Validate(string path, ConfigErrors errors) =>
        errors.Require(Sources.Count > 0 || Recipe != null, ConfigErrors.Join(path, "sources"), "at least one source is required");
}

public sealed class ModelSection
{
    [Doc("Registered model family")]
    public string Family { get; init; } = "transformer";

    [Doc("Size preset of the family: tiny | small | base")]
    public string Size { get; init; } = "tiny";

    [Doc("Mission tokens kept per step")]
    [Range(1, 256)]
    public int MaxMissionLength { get; init; } = 16;
}

public sealed class TrainSection
{
    [Doc("Optimizer steps")]
    [Range(1, double.PositiveInfinity)]
    public int Steps { get; init; } = 1000;

    [Doc("Samples per optimizer step")]
    [Range(1, double.PositiveInfinity)]
    public int BatchSize { get; init; } = 64;

    [Doc("Peak learning rate (AdamW)")]
    [Range(0, 1, MinExclusive = true)]
    public double Lr { get; init; } = 1e-3;

    [Doc("AdamW decoupled weight decay (PyTorch's default is 0.01; TorchSharp's is 0, so it is always stated)")]
    [Range(0, 1)]
    public double WeightDecay { get; init; } = 0.01;

    [Doc("Linear warmup steps before cosine decay")]
    [Range(0, double.PositiveInfinity)]
    public int WarmupSteps { get; init; } = 50;

    [Doc("Clip the global gradient norm to this value; 0 disables")]
    [Range(0, double.PositiveInfinity)]
    public double GradClip { get; init; } = 1.0;

    [Doc("Log metrics every N steps")]
    [Range(1, double.PositiveInfinity)]
    public int LogEvery { get; init; } = 10;
}
