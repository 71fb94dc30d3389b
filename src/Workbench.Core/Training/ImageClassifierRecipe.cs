using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using Workbench.Config;
using Workbench.Data;
using Workbench.Envs;
using Workbench.Runtime;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Workbench.Training;

/// <summary>
/// Pretrains an agent's image tower as a Fashion-MNIST classifier (<c>kind: image_classifier</c>), as one readable recipe:
/// <see cref="Start"/> / <see cref="Resume"/> set up (seeds, imported Parquet, the tower + head, optimizer, run directory),
/// <see cref="Train"/> runs the loop and ends by scoring the test split once with the best (by validation accuracy) weights.
///
/// Domain: every picture is drawn into a tile exactly as an agent's view draws a picture cell
/// (<see cref="EnvRendering.RenderFashionTile"/> at the agent's tile size, highlighted as cells in view are), after
/// <see cref="PictureAugmentation"/> on the 28×28 picture. Data: a fixed subset of the train split (the same for every
/// seed) is the validation set; training pictures are visited in a per-epoch permutation of (seed, epoch), so the order
/// is a function of the step and resuming needs only the step, the run's <see cref="Rng"/> (augmentation) and torch's RNG.
/// Checkpoints: the shared <see cref="Checkpoint"/> format with <c>task: image_classifier</c> and the agent's spec, so
/// <c>models register</c> makes it a version (<c>fashion-tower@v1</c>) that <c>train.init_parts</c> can name.
/// </summary>
public sealed class ImageClassifierRecipe : ITrainingRun
{
    /// <summary>Published Fashion-MNIST test accuracies of small CNNs on the full 28×28 pictures (zalandoresearch/fashion-mnist README, benchmark table of submitted results).</summary>
    public static readonly IReadOnlyList<(string Model, double Accuracy)> PublishedBaselines =
    [
        ("2 Conv+pooling (Kashif Rasul)", 0.876),
        ("2 Conv+pooling+ELU, PyTorch", 0.903),
        ("2 Conv+pooling (TensorFlow tutorial)", 0.916),
        ("2 Conv+pooling+BN", 0.934),
    ];

    private const ulong ValidationSplitSeed = 0xFA5410;

    private readonly ImageClassifierConfig _cfg;
    private readonly LoadedConfig _config;
    private readonly BehaviourCloningRecipe.Options _options;
    private readonly RunDirectory _run;
    private readonly Device _device;
    private readonly ImageClassifier _model;
    private readonly List<Parameter> _parameters;
    private readonly AdamW _optimizer;
    private readonly WarmupCosineSchedule _schedule;
    private readonly MetricsLogger _metrics;
    private readonly Checkpointer _checkpoints;
    private readonly (int[] Labels, byte[] Images) _train, _test;
    private readonly int[] _trainIndex, _validationIndex;
    private readonly string _fingerprint;
    private readonly Dictionary<string, double> _latest = new();
    private Rng _rng;
    private TrainerProgress _progress;

    public ImageClassifier Model => _model;
    private TextWriter? ProgressEcho => _options.ShowProgress ? _options.ProgressWriter ?? Console.Error : null;
    public RunDirectory Run => _run;

    public static ImageClassifierRecipe Start(LoadedConfig config, BehaviourCloningRecipe.Options? options = null) => new(config, options ?? new(), null);

    public static ImageClassifierRecipe Resume(string runDir, BehaviourCloningRecipe.Options? options = null)
    {
        var run = RunDirectory.Open(runDir);
        return new ImageClassifierRecipe(ConfigLoader.LoadAs(typeof(ImageClassifierConfig), run.ConfigPath), options ?? new(), run);
    }

    private ImageClassifierRecipe(LoadedConfig config, BehaviourCloningRecipe.Options options, RunDirectory? resumeFrom)
    {
        _config = config;
        _cfg = (ImageClassifierConfig)config.Value;
        _options = options;
        var train = _cfg.Train;
        if (options.World.Size > 1)
            throw new UserError($"{config.File}: image_classifier runs train in one process; data-parallel training (mpirun -np {options.World.Size}) " +
                                "is for agent experiments (kind: experiment)");

        if (_cfg.Threads > 0) torch.set_num_threads(_cfg.Threads);
        _device = DeviceSelector.Resolve(_cfg.Device);
        torch.manual_seed(_cfg.Seed);
        _rng = new Rng((ulong)_cfg.Seed);

        // Data: the imported Parquet (imported first when asked and missing); a fixed validation subset of train.
        string trainPath = Path.Combine(_cfg.Data.Folder, "train.parquet"), testPath = Path.Combine(_cfg.Data.Folder, "test.parquet");
        if (_cfg.Data.ImportIfMissing && (!File.Exists(trainPath) || !File.Exists(testPath)))
            FashionMnistImport.Write(_cfg.Data.Folder, FashionMnist.Load(FashionMnist.ResolveDirectory()));
        _train = FashionMnistImport.Read(trainPath);
        _test = FashionMnistImport.Read(testPath);
        var order = Enumerable.Range(0, _train.Labels.Length).ToArray();
        new Rng(ValidationSplitSeed).Shuffle(order);
        int v = Math.Min(_cfg.Data.ValidationImages, order.Length / 2);
        _validationIndex = order[..v];
        _trainIndex = order[v..].Order().ToArray();
        _fingerprint = "sha256:" + ConfigLoader.Sha256Hex(DatasetBuilder.Sha256File(trainPath) + DatasetBuilder.Sha256File(testPath));

        _model = new ImageClassifier(_cfg.Model.ToSpec(), FashionMnist.ClassCount);
        _model.to(_device);
        _model.train();
        _parameters = _model.parameters().ToList();
        _optimizer = optim.AdamW(_parameters, lr: train.Lr, weight_decay: train.WeightDecay);
        _schedule = new WarmupCosineSchedule(train.Lr, train.WarmupSteps, train.Steps, train.MinLrRatio);

        if (resumeFrom is null)
        {
            _progress = new TrainerProgress(0, null, 0, 0);
            _run = RunDirectory.Create(options.RunsRoot, config, new RunInfo(
                _cfg.Name, "", config.Sha256, GitInfo.Commit(), GitInfo.Dirty(), _cfg.Seed, _device.ToString(),
                torch.get_num_threads(), DateTimeOffset.UtcNow, null, "running", _fingerprint, 0, null, []));
            _metrics = new MetricsLogger(_run.Path);
        }
        else
        {
            _run = resumeFrom;
            string latest = _run.LatestCheckpoint ?? throw new UserError($"{_run.Path}: no step checkpoint to resume from");
            var header = Checkpoint.Restore(latest, _model, _optimizer);
            if (header.ConfigSha256 != config.Sha256) throw new UserError($"{latest} was written for another config (sha256 {header.ConfigSha256[..12]})");
            Checkpoint.RestoreTorchRng(header.TorchRngState!);
            _rng = Rng.FromState(header.Rng!.Value);
            _progress = header.Progress;
            var info = _run.ReadInfo();
            _run.WriteInfo(info with { Status = "running", Ended = null, Resumed = [.. info.Resumed, DateTimeOffset.UtcNow] });
            _metrics = new MetricsLogger(_run.Path, resumeAfterStep: _progress.Step);
            _run.Log($"resumed from {latest} at step {_progress.Step}", ProgressEcho);
        }
        _checkpoints = new Checkpointer(_run, train.KeepCheckpoints);
        _run.Log($"run {_run.Path}: image classifier = the image tower of {_cfg.Model.Family}/{_cfg.Model.Size} at {_model.AgentSpec.Input.Describe()} + head, " +
                 $"{_parameters.Sum(p => p.numel()):N0} parameters; {_trainIndex.Length:N0} training / {_validationIndex.Length:N0} validation / " +
                 $"{_test.Labels.Length:N0} test pictures; {train.Steps} steps × {train.BatchSize}; device {_device}, threads {torch.get_num_threads()}", ProgressEcho);
    }

    public TrainResult Train()
    {
        var train = _cfg.Train;
        var clock = Stopwatch.StartNew();
        int startStep = _progress.Step;
        string status = "completed";
        using var bar = _options.ShowProgress ? new ProgressBar("train", train.Steps - startStep, _options.ProgressWriter) : null;
        try
        {
            while (_progress.Step < train.Steps)
            {
                if (_options.StopAfterStep is int stop && _progress.Step >= stop) { status = "stopped"; break; }
                var (loss, accuracy, lr) = Step();
                int step = _progress.Step;
                if (step % train.LogEvery == 0 || step == train.Steps)
                    _metrics.Log(step, "train", new Dictionary<string, double> { ["loss"] = loss, ["accuracy"] = accuracy, ["lr"] = lr });
                if (train.EvalEvery > 0 && step % train.EvalEvery == 0 && step < train.Steps) Evaluate();
                if (step % train.CheckpointEvery == 0) SaveStep();
                bar?.Report(step - startStep, $"step {step}/{train.Steps} loss {loss:0.000}");
                _options.AfterStep?.Invoke(step);
            }
            if (_checkpoints.Last != _run.StepCheckpoint(_progress.Step)) SaveStep();
            if (status == "completed") Finish();
        }
        catch (Exception e)
        {
            WriteInfo("failed", $"{e.GetType().Name}: {e.Message}");
            throw;
        }
        _latest["train_seconds"] = clock.Elapsed.TotalSeconds;
        _latest["steps"] = _progress.Step;
        _run.Log($"{status} at step {_progress.Step} ({_progress.Step - startStep} steps in {clock.Elapsed.TotalSeconds:0.0} s)", ProgressEcho);
        WriteInfo(status, null);
        return new TrainResult(_run.Path, status, _progress.Step, new Dictionary<string, double>(_latest), _checkpoints.Last, _run.BestCheckpoint);
    }

    /// <summary>The training pictures of step <paramref name="step"/> (1-based): the next batch of the per-epoch permutation.</summary>
    private int[] BatchIndices(int step)
    {
        int n = _trainIndex.Length, b = _cfg.Train.BatchSize;
        var batch = new int[b];
        int[]? permutation = null;
        long epochOf = -1;
        for (int i = 0; i < b; i++)
        {
            long position = (long)(step - 1) * b + i;
            long epoch = position / n;
            if (epoch != epochOf)
            {
                permutation = (int[])_trainIndex.Clone();
                Rng.Derive((ulong)_cfg.Seed, (ulong)epoch).Shuffle(permutation);
                epochOf = epoch;
            }
            batch[i] = permutation![position % n];
        }
        return batch;
    }

    private (double Loss, double Accuracy, double Lr) Step()
    {
        int step = _progress.Step + 1;
        using var noGc = NoGcRegion.Enter();
        using var scope = NewDisposeScope();
        double lr = _schedule.At(step - 1);
        foreach (var group in _optimizer.ParamGroups) group.LearningRate = lr;
        var indices = BatchIndices(step);
        var (tiles, labels) = Tiles(_train, indices, _cfg.Augment.IsEnabled() ? _cfg.Augment : null);
        _optimizer.zero_grad();
        var logits = _model.forward(tiles);                                              // (B, K)
        var loss = F.cross_entropy(logits, labels);
        loss.backward();
        if (_cfg.Train.GradClip > 0) nn.utils.clip_grad_norm_(_parameters, _cfg.Train.GradClip);
        double lossValue = loss.item<float>();
        if (!double.IsFinite(lossValue)) throw new TrainingDivergedException(step, $"loss {lossValue}", _checkpoints.Last);
        _optimizer.step();
        long correct;
        using (no_grad()) correct = logits.argmax(1).eq(labels).sum().item<long>();
        _progress = _progress with { Step = step };
        return (lossValue, (double)correct / indices.Length, lr);
    }

    /// <summary>Pictures → tiles (B, t, t, 3) uint8 and labels (B) int64 on the device, augmented with the run's RNG when asked.</summary>
    private (Tensor Tiles, Tensor Labels) Tiles((int[] Labels, byte[] Images) split, IReadOnlyList<int> indices, PictureAugmentation? augment)
    {
        int t = _model.TileSize, bytes = t * t * 3;
        var pixels = new byte[indices.Count * bytes];
        var labels = new long[indices.Count];
        var picture = new byte[FashionSplit.Pixels];
        for (int i = 0; i < indices.Count; i++)
        {
            var source = split.Images.AsMemory(indices[i] * FashionSplit.Pixels, FashionSplit.Pixels);
            if (augment is not null)
            {
                augment.Apply(source.Span, picture, _rng);
                source = picture;
            }
            EnvRendering.RenderFashionTile(source, t, pixels.AsSpan(i * bytes, bytes));
            labels[i] = split.Labels[indices[i]];
        }
        return (tensor(pixels, [indices.Count, t, t, 3]).to(_device), tensor(labels).to(_device));
    }

    /// <summary>Accuracy and mean loss over pictures (no augmentation, eval mode), and right answers per class.</summary>
    private (double Accuracy, double Loss, long[] RightByClass, long[] CountByClass) Score((int[] Labels, byte[] Images) split, IReadOnlyList<int> indices)
    {
        _model.eval();
        try
        {
            using var _ = no_grad();
            long right = 0;
            double lossSum = 0;
            var rightBy = new long[FashionMnist.ClassCount];
            var countBy = new long[FashionMnist.ClassCount];
            foreach (var chunk in indices.Chunk(512))
            {
                using var scope = NewDisposeScope();
                var (tiles, labels) = Tiles(split, chunk, augment: null);
                var logits = _model.forward(tiles);
                using (Scalar count = chunk.Length) lossSum += F.cross_entropy(logits, labels).item<float>() * chunk.Length;
                var hit = logits.argmax(1).eq(labels).cpu().data<bool>().ToArray();
                for (int i = 0; i < chunk.Length; i++)
                {
                    int k = split.Labels[chunk[i]];
                    countBy[k]++;
                    if (!hit[i]) continue;
                    rightBy[k]++;
                    right++;
                }
            }
            return ((double)right / indices.Count, lossSum / indices.Count, rightBy, countBy);
        }
        finally
        {
            _model.train();
        }
    }

    private void Evaluate()
    {
        if (_validationIndex.Length == 0) return;
        var (accuracy, loss, _, _) = Score(_train, _validationIndex);
        int step = _progress.Step;
        _metrics.Log(step, "val", new Dictionary<string, double> { ["accuracy"] = accuracy, ["loss"] = loss });
        _latest["val_accuracy"] = accuracy;
        _latest["val_loss"] = loss;
        if (_progress.BestMetric is null || -accuracy < _progress.BestMetric)
        {
            _progress = _progress with { BestMetric = -accuracy, BestStep = step };
            _checkpoints.SaveBest(Header(CheckpointHeader.Model), _model);
            _latest["best_step"] = step;
            _latest["best_val_accuracy"] = accuracy;
        }
    }

    /// <summary>Last validation, then the test split scored once with the best weights (never used for selection).</summary>
    private void Finish()
    {
        Evaluate();
        if (_run.BestCheckpoint is { } best) Checkpoint.LoadWeights(best, _model);
        var (accuracy, loss, right, count) = Score(_test, Enumerable.Range(0, _test.Labels.Length).ToArray());
        _latest["test_accuracy"] = accuracy;
        _latest["test_loss"] = loss;
        var perClass = new Dictionary<string, double>();
        for (int k = 0; k < right.Length; k++) perClass[$"accuracy/{FashionMnist.MissionName(k)}"] = count[k] == 0 ? double.NaN : (double)right[k] / count[k];
        _metrics.Log(_progress.Step, "test", new Dictionary<string, double>(perClass) { ["accuracy"] = accuracy, ["loss"] = loss });
        var (low, high) = Wilson(accuracy, _test.Labels.Length);
        string baselines = string.Join("; ", PublishedBaselines.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Model} {b.Accuracy:0.000}")));
        _run.Log(string.Create(CultureInfo.InvariantCulture,
            $"test accuracy {accuracy:0.0000} [{low:0.0000}, {high:0.0000}] on {_test.Labels.Length:N0} test pictures drawn at {_model.AgentSpec.Input.Describe()} " +
            $"(best validation step {_progress.BestStep}); published 28x28 CNN baselines: {baselines}"), ProgressEcho);
    }

    private static (double Low, double High) Wilson(double p, int n)
    {
        const double z = 1.959963984540054;
        double denominator = 1 + z * z / n, centre = (p + z * z / (2 * n)) / denominator;
        double half = z * Math.Sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    private CheckpointHeader Header(string kind) => new(
        kind, _model.AgentSpec, null, null, _config.ResolvedYaml, _config.Sha256, _progress, new Dictionary<string, double>(_latest),
        kind == CheckpointHeader.Train ? Checkpoint.TorchRngState() : null,
        kind == CheckpointHeader.Train ? _rng.State : null,
        null, _fingerprint, Task: ImageClassifier.Task);

    private void SaveStep() => _checkpoints.SaveStep(_progress.Step, Header(CheckpointHeader.Train), _model, _optimizer);

    private void WriteInfo(string status, string? message)
    {
        var info = _run.ReadInfo();
        _run.WriteInfo(info with
        {
            Status = status, Ended = DateTimeOffset.UtcNow, StepsCompleted = _progress.Step,
            FinalMetrics = new Dictionary<string, double>(_latest), Message = message,
        });
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
    }
}
