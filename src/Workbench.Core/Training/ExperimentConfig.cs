using Workbench.Config;
using Workbench.Data;
using Workbench.Envs;
using Workbench.Models;

namespace Workbench.Training;

/// <summary>Root of an experiment file (<c>kind: experiment</c>): what to train, on what data, how.</summary>
[ConfigKind("experiment")]
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
        if (Runtime.DeviceSelector.Unavailable(Device) is { } device) errors.Add(ConfigErrors.Join(path, "device"), device);
        errors.Require(Name.Length == 0 || Name.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.'),
            ConfigErrors.Join(path, "name"), "use letters, digits, '-', '_' or '.' (it becomes a folder name)");
        errors.Require(Train.BatchSize % Train.GradAccumSteps == 0, ConfigErrors.Join(path, "train.grad_accum_steps"),
            $"must divide train.batch_size ({Train.BatchSize}) so every micro-batch holds the same number of episodes");
        foreach (var (key, problem) in DataObservation.Mismatches(Data, Model.ObservationSpec()))
            errors.Add(ConfigErrors.Join(path, key), problem);
    }
}

public sealed class ModelSection : IValidatable
{
    [Doc("Registered model family: babyai_film | transformer")]
    public string Family { get; init; } = "transformer";

    [Doc("Size preset of the family: tiny | small | base")]
    public string Size { get; init; } = "tiny";

    [Doc("symbolic | rgb: what the model reads — MiniGrid's 7x7x3 encoding, or the egocentric view rendered as pixels " +
         "((7*tile_size)^2*3 bytes). Must match the training data's observation and tile size")]
    public ObservationModality Observation { get; init; } = ObservationModality.Symbolic;

    [Doc("Pixels per grid cell when observation is rgb (8 = 56x56x3 images); ignored for symbolic")]
    [Range(Envs.ObservationSpec.MinTile, Envs.ObservationSpec.MaxTile)]
    public int TileSize { get; init; } = 8;

    [Doc("Mission tokens kept per step")]
    [Range(1, 256)]
    public int MaxMissionLength { get; init; } = 16;

    [Doc("Mission vocabulary size (ids 0 = pad, 1 = unknown word)")]
    [Range(2, 1_000_000)]
    public int VocabSize { get; init; } = 64;

    public void Validate(string path, ConfigErrors errors)
    {
        if (ModelArchitectures.Problem(Family, Size) is { } problem)
            errors.Add(ConfigErrors.Join(path, ModelArchitectures.FamilyNames.Contains(Family) ? "size" : "family"), problem);
        errors.Require(VocabSize >= MissionTokenizer.MinVocabSize, ConfigErrors.Join(path, "vocab_size"),
            $"must be >= {MissionTokenizer.MinVocabSize} (the mission word list)");
        if (ModelArchitectures.ModalityProblem(Family, Observation) is { } modality) errors.Add(ConfigErrors.Join(path, "observation"), modality);
    }

    /// <summary>The observation the model reads.</summary>
    public Envs.ObservationSpec ObservationSpec() => Observation == ObservationModality.Symbolic ? Envs.ObservationSpec.Symbolic : Envs.ObservationSpec.Rgb(TileSize);

    public ModelSpec ToSpec() => new(Family, Size, VocabSize, MaxMissionLength, ObservationSpec());
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

    [Doc("Start parts of the model from other weights, after init_from: e.g. [{from: fashion-tower@v1, module: image}] copies a pretrained image tower")]
    public List<InitPart> InitParts { get; init; } = [];

    [Doc("Freeze parameters whose names match any of these globs (e.g. 'blocks.0.*', '*_emb.*', 'image.*')")]
    public List<string> Freeze { get; init; } = [];

    public LoraSection Lora { get; init; } = new();
    public RolloutSection Rollout { get; init; } = new();

    public void Validate(string path, ConfigErrors errors)
    {
        errors.Require(Lora.Rank == 0 || InitFrom != null || InitParts.Count > 0, ConfigErrors.Join(path, "lora.rank"),
            "LoRA fine-tunes trained weights: set train.init_from (or train.init_parts)");
    }
}

/// <summary>One part of a model started from other weights (<c>train.init_parts</c>).</summary>
public sealed class InitPart : IValidatable
{
    [RequiredKey, Doc("Checkpoint path or registered name@version to copy from: an agent, or an image classifier (kind: image_classifier)")]
    public string From { get; init; } = "";

    [RequiredKey, Doc("Module of the source whose tensors are copied, by its dotted name (e.g. image)")]
    public string Module { get; init; } = "";

    [Doc("Module of this model that receives them; default: the same name as module")]
    public string? To { get; init; }

    /// <summary>The receiving module (a method, so it is not a config key).</summary>
    public string TargetModule() => To ?? Module;

    public void Validate(string path, ConfigErrors errors)
    {
        errors.Require(Module.Length > 0 && !Module.EndsWith('.'), ConfigErrors.Join(path, "module"), "name a module, e.g. image");
        errors.Require(TargetModule().Length > 0 && !TargetModule().EndsWith('.'), ConfigErrors.Join(path, "to"), "name a module, e.g. image");
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

    [Doc("Linear layers (module-name globs) that get adapters, e.g. image.proj for the image tower")]
    public List<string> Targets { get; init; } = ["*"];

    [Doc("Freeze every parameter except the adapters (true: classic LoRA of a trained model); false trains the adapters and every " +
         "parameter that train.freeze leaves, e.g. a LoRA-adapted pretrained tower inside an agent trained from scratch")]
    public bool FreezeBase { get; init; } = true;

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
