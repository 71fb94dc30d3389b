using Workbench.Config;
using Workbench.Models;

namespace Workbench.Training;

/// <summary>Root of an experiment file (<c>kind: experiment</c>): what to train, on what data, how.</summary>
public sealed class ExperimentConfig : IValidatable
{
    [RequiredKey, Doc("Experiment name; runs go to runs/<name>/")]
    public string Name { get; init; } = "";

    [Doc("Free text shown in reports")]
    public string Description { get; init; } = "";

    [Doc("Seeds model init (torch.manual_seed), data order and rollouts")]
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
        errors.Require(Train.BatchSize % Train.GradAccumSteps == 0, ConfigErrors.Join(path, "train.grad_accum_steps"),
            $"must divide train.batch_size ({Train.BatchSize}) so every micro-batch holds the same number of episodes");
    }
}

public sealed class DataSource
{
    [RequiredKey, Doc("Parquet file, folder or glob (relative to the working directory); or generated in-memory demos: bot:<Level>:<episodes> (expert bot on a grid-world level)")]
    public string Path { get; init; } = "";

    [Doc("Sampling weight in a mixture of sources")]
    [Range(0, double.PositiveInfinity, MinExclusive = true)]
    public double Proportion { get; init; } = 1.0;
}

public sealed class DataSection : IValidatable
{
    [Doc("Training data sources (demonstration datasets)")]
    public List<DataSource> Sources { get; init; } = [];

    [Doc("Dataset recipe (kind: dataset) built before training unless its folder already holds this exact build")]
    public string? Recipe { get; init; }

    [Doc("Episodes held out for validation loss (chosen by a hash of the episode id, never trained on); 0 disables")]
    [Range(0, double.PositiveInfinity)]
    public int ValidationEpisodes { get; init; } = 64;

    [Doc("Percent of episodes (by id hash) that belong to the validation split")]
    [Range(0, 50)]
    public int ValidationPercent { get; init; } = 5;

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

    [Doc("MPI runs: split_batches (every rank reads all data and trains on its 1/W of each batch: same batches as one process) | rank_streams (rank r reads only its 1/W shard of each epoch: less reading, other batches)")]
    public Data.DataSharding Sharding { get; init; } = Data.DataSharding.SplitBatches;

    public void Validate(string path, ConfigErrors errors) =>
        errors.Require(Sources.Count > 0, ConfigErrors.Join(path, "sources"), "at least one source is required");
}

public sealed class ModelSection : IValidatable
{
    [Doc("Registered model family: babyai_film | transformer")]
    public string Family { get; init; } = "transformer";

    [Doc("Size preset of the family: tiny | small | base")]
    public string Size { get; init; } = "tiny";

    [Doc("Mission tokens kept per step")]
    [Range(1, 256)]
    public int MaxMissionLength { get; init; } = 16;

    [Doc("Mission vocabulary size (ids 0 = pad, 1 = unknown word)")]
    [Range(2, 1_000_000)]
    public int VocabSize { get; init; } = 64;

    public void Validate(string path, ConfigErrors errors)
    {
        if (ModelRegistry.Problem(Family, Size) is { } problem)
            errors.Add(ConfigErrors.Join(path, ModelRegistry.FamilyNames.Contains(Family) ? "size" : "family"), problem);
        errors.Require(VocabSize >= MissionTokenizer.MinVocabSize, ConfigErrors.Join(path, "vocab_size"),
            $"must be >= {MissionTokenizer.MinVocabSize} (the mission word list)");
    }

    public ModelSpec ToSpec() => new(Family, Size, VocabSize, MaxMissionLength);
}

public sealed class TrainSection : IValidatable
{
    [Doc("Optimizer steps")]
    [Range(1, double.PositiveInfinity)]
    public int Steps { get; init; } = 1000;

    [Doc("Episodes per optimizer step (each trained as a whole sequence with teacher forcing)")]
    [Range(1, double.PositiveInfinity)]
    public int BatchSize { get; init; } = 64;

    [Doc("Split each batch into this many micro-batches; gradients add up to the full batch's")]
    [Range(1, double.PositiveInfinity)]
    public int GradAccumSteps { get; init; } = 1;

    [Doc("Peak learning rate (AdamW)")]
    [Range(0, 1, MinExclusive = true)]
    public double Lr { get; init; } = 1e-3;

    [Doc("Learning rate at the end of the cosine, as a fraction of lr")]
    [Range(0, 1)]
    public double MinLrRatio { get; init; } = 0.1;

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

    [Doc("Validation loss (and rollouts, when configured) every N steps; 0 = only at the end")]
    [Range(0, double.PositiveInfinity)]
    public int EvalEvery { get; init; } = 100;

    [Doc("Save a resumable checkpoint every N steps (and always at the end)")]
    [Range(1, double.PositiveInfinity)]
    public int CheckpointEvery { get; init; } = 100;

    [Doc("Step checkpoints kept on disk (oldest deleted); best.ckpt is kept besides")]
    [Range(1, double.PositiveInfinity)]
    public int KeepCheckpoints { get; init; } = 3;

    [Doc("Stop after this many evaluations without improvement of the selection metric; 0 disables")]
    [Range(0, double.PositiveInfinity)]
    public int EarlyStoppingPatience { get; init; }

    [Doc("On CUDA only: TF32 for matmuls and cuDNN (fp32 weights and optimizer state). No effect on CPU. bf16 autocast is not offered: TorchSharp 0.107 exposes no autocast")]
    public bool AllowTf32 { get; init; } = true;

    [Doc("Start from these weights: a checkpoint path, or a registered model name@version")]
    public string? InitFrom { get; init; }

    [Doc("Freeze parameters whose names match any of these globs (e.g. 'blocks.0.*', '*_emb.*')")]
    public List<string> Freeze { get; init; } = [];

    public LoraSection Lora { get; init; } = new();
    public RolloutSection Rollout { get; init; } = new();

    public void Validate(string path, ConfigErrors errors)
    {
        errors.Require(Lora.Rank == 0 || InitFrom != null, ConfigErrors.Join(path, "lora.rank"), "LoRA fine-tunes a trained model: set train.init_from");
    }
}

public sealed class LoraSection
{
    [Doc("Adapter rank; 0 = no LoRA (full fine-tuning of unfrozen parameters)")]
    [Range(0, 1024)]
    public int Rank { get; init; }

    [Doc("LoRA alpha; the update is scaled by alpha / rank")]
    [Range(0, double.PositiveInfinity, MinExclusive = true)]
    public double Alpha { get; init; } = 16;

    [Doc("Dropout on the adapter input")]
    [Range(0, 1, MaxExclusive = true)]
    public double Dropout { get; init; }

    [Doc("Linear layers (module-name globs) that get adapters")]
    public List<string> Targets { get; init; } = ["*"];

    [Doc("Save only adapter weights in checkpoints (the base comes from init_from)")]
    public bool AdapterOnlyCheckpoints { get; init; } = true;
}

public sealed class RolloutSection
{
    [Doc("Levels to roll out during training (success rate); empty disables")]
    public List<string> Levels { get; init; } = [];

    [Doc("Episodes per level per evaluation")]
    [Range(1, double.PositiveInfinity)]
    public int Episodes { get; init; } = 32;

    [Doc("Select the best checkpoint by rollout success instead of validation loss (needs levels)")]
    public bool SelectBySuccess { get; init; }
}
