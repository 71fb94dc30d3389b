using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using Workbench.Config;
using Workbench.Data;
using Workbench.Distributed;
using Workbench.Models;
using Workbench.Runtime;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Workbench.Training;

/// <summary>How a training run ended.</summary>
public sealed record TrainResult(string RunDir, string Status, int StepsCompleted, IReadOnlyDictionary<string, double> Metrics,
    string? LastCheckpoint, string? BestCheckpoint);

/// <summary>Training stopped because the loss or gradient norm was NaN/Inf; weights were not updated by that step.</summary>
public sealed class TrainingDivergedException(int step, string detail, string? lastGoodCheckpoint)
    : Exception($"training diverged at step {step}: {detail}. Stopped before the optimizer update; " +
                (lastGoodCheckpoint is null ? "no checkpoint was written yet." : $"last good checkpoint: {lastGoodCheckpoint}"))
{
    public int Step { get; } = step;
    public string? LastGoodCheckpoint { get; } = lastGoodCheckpoint;
}

/// <summary>
/// Behaviour cloning on whole demonstration episodes (teacher forcing), as one readable recipe:
/// <see cref="Start"/> / <see cref="Resume"/> set up (seeds, model, fine-tuning, optimizer, data, run directory),
/// <see cref="Train"/> runs the loop, checkpoints are saved along the way, <see cref="Dispose"/> cleans up.
///
/// One optimizer step: take batch_size episodes from the stream; for each of grad_accum_steps micro-batches,
/// loss = Σ cross-entropy over real steps / (real steps in the whole batch), backward; so accumulated gradients
/// equal the full batch's. Then NaN/Inf guard, gradient clipping, AdamW with the warmup-cosine learning rate.
/// Everything a step allocates lives in a dispose scope.
///
/// Determinism: model init from torch.manual_seed(seed); data order from the loader's state; torch generator
/// and <see cref="Rng"/> states are checkpointed; so on CPU a resumed run ends bit-for-bit equal to an
/// uninterrupted one (with the same thread count).
///
/// Data parallel (<see cref="Options.World"/>, e.g. under mpirun): each rank trains on batch_size / ranks episodes,
/// the loss is normalised by the global batch's real steps and the gradients are summed over ranks after backward
/// (<see cref="DataParallel"/>), so every rank takes the same step. Rank 0 alone evaluates and writes the run
/// directory (metrics, TensorBoard, checkpoints, run.json, log).
/// </summary>
public sealed class BehaviourCloningRecipe : ITrainingRun
{
    /// <summary>Run options that are not part of the experiment (where, and hooks for tests and tools).</summary>
    public sealed record Options
    {
        public string RunsRoot { get; init; } = "runs";
        public string? RegistryRoot { get; init; }
        /// <summary>Stop (with a checkpoint) once this many steps are done, as if interrupted.</summary>
        public int? StopAfterStep { get; init; }
        public bool ShowProgress { get; init; } = true;
        /// <summary>Where the progress bar and the run log's echo go (null: stderr); the CLI passes its error writer.</summary>
        public TextWriter? ProgressWriter { get; init; }
        /// <summary>Called after the backward pass of step s (1-based), before the update: fault injection in tests.</summary>
        public Action<int>? AfterBackward { get; init; }
        /// <summary>Called after step s (1-based) is complete.</summary>
        public Action<int>? AfterStep { get; init; }
        /// <summary>
        /// Fault injection for the divergence guard, end to end: at this step (1-based) the gradients are poisoned with NaN
        /// after the backward pass, as a real divergence would leave them. Default: <c>$WORKBENCH_FAULT_NAN_AT_STEP</c>.
        /// </summary>
        public int? NanAtStep { get; init; } = FaultInjection.NanAtStep();
        /// <summary>The ranks training together (<see cref="Collectives.FromEnvironment"/> under mpirun/srun); one process by default.</summary>
        public ICollective World { get; init; } = SingleProcess.Instance;
    }

    private readonly ExperimentConfig _cfg;
    private readonly LoadedConfig _config;
    private readonly Options _options;
    private readonly RunDirectory _run;
    private readonly Device _device;
    private readonly IAgentModel _model;
    private readonly List<Parameter> _trainable;
    private readonly AdamW _optimizer;
    private readonly WarmupCosineSchedule _schedule;
    private readonly IEpisodeStream _stream;
    private readonly List<DemoEpisode> _validation;
    private readonly MetricsLogger? _metrics; // rank 0 only
    private readonly ICollective _world;
    private int _savedStep = -1;
    private readonly LoraInfo? _lora;
    private Rng _rng;
    private TrainerProgress _progress;

    // Messages that always echo (resume, divergence) and those that follow ShowProgress.
    private TextWriter Echo => _options.ProgressWriter ?? Console.Error;
    private TextWriter? ProgressEcho => _options.ShowProgress ? Echo : null;
    private readonly Checkpointer _checkpoints;
    private readonly Dictionary<string, double> _latest = new();

    public IAgentModel Model => _model;
    public RunDirectory Run => _run;

    /// <summary>Sets up a new run for a loaded experiment config (on every rank of <see cref="Options.World"/> together).</summary>
    public static BehaviourCloningRecipe Start(LoadedConfig config, Options? options = null)
    {
        options ??= new();
        var world = options.World;
        DataParallel.CheckStart(world, config);
        DataParallel.BuildDataOnRoot(world, (ExperimentConfig)config.Value);
        string runPath = world.BroadcastString(world.IsRoot ? RunDirectory.For(options.RunsRoot, ((ExperimentConfig)config.Value).Name, RunDirectory.NewId()).Path : "");
        var recipe = world.Agree(() => new BehaviourCloningRecipe(config, options, resumeFrom: null, runPath));
        DataParallel.BroadcastWeights(world, recipe.Model);
        return recipe;
    }

    /// <summary>Continues a run directory from its latest step checkpoint (every rank of the run that wrote it, together).</summary>
    public static BehaviourCloningRecipe Resume(string runDir, Options? options = null)
    {
        options ??= new();
        var world = options.World;
        var (run, config) = world.Agree(() =>
        {
            var run = RunDirectory.Open(runDir);
            return (run, ConfigLoader.LoadAs(typeof(ExperimentConfig), run.ConfigPath));
        });
        DataParallel.CheckStart(world, config);
        return world.Agree(() => new BehaviourCloningRecipe(config, options, run, newRunPath: null));
    }

    private BehaviourCloningRecipe(LoadedConfig config, Options options, RunDirectory? resumeFrom, string? newRunPath)
    {
        _config = config;
        _cfg = (ExperimentConfig)config.Value;
        _options = options;
        _world = options.World;
        var train = _cfg.Train;

        // Runtime: threads (ranks on one machine share its cores), device, seeds.
        if (_cfg.Threads > 0) torch.set_num_threads(_cfg.Threads);
        else if (_world.LocalSize > 1) torch.set_num_threads(Math.Max(1, Environment.ProcessorCount / _world.LocalSize));
        _device = DeviceSelector.Resolve(_cfg.Device);
        if (_device.type == DeviceType.CUDA && train.AllowTf32)
        {
            torch.backends.cuda.matmul.allow_tf32 = true;
            torch.backends.cudnn.allow_tf32 = true;
        }
        torch.manual_seed(_cfg.Seed);
        _rng = new Rng((ulong)_cfg.Seed);

        // Model: registry → start weights → adapters → freezing → device.
        _model = ModelArchitectures.Create(_cfg.Model.ToSpec());
        if (train.InitFrom is { } init)
        {
            using var start = ModelVersions.LoadAny(init, options.RegistryRoot);
            Finetuning.InitFrom(_model, start, init);
        }
        var parts = Finetuning.InitParts(_model, train.InitParts, options.RegistryRoot);
        if (train.Lora.Rank > 0) _lora = Finetuning.ApplyLora(_model, train.Lora);
        var frozen = Finetuning.Freeze(_model, train.Freeze);
        _model.Module.to(_device);
        _model.Module.train();
        _trainable = _model.Module.parameters().Where(p => p.requires_grad).ToList();
        if (_trainable.Count == 0) throw new UserError("train.freeze: every parameter is frozen; nothing to train");
        _optimizer = optim.AdamW(_trainable, lr: train.Lr, weight_decay: train.WeightDecay); // TorchSharp's default decay is 0: always pass it
        _schedule = new WarmupCosineSchedule(train.Lr, train.WarmupSteps, train.Steps, train.MinLrRatio);

        // Generated dagger: sources play registered models (rank 0's progress only; every rank plays the same episodes).
        var generated = new EpisodeSources.GeneratedOptions(options.RegistryRoot, _world.IsRoot ? ProgressEcho : null);
        _validation = EpisodeSources.Validation(_cfg.Data, _cfg.Seed + 1, _model.Spec.Input, generated);
        var shard = DataParallel.Shard(_world, train.BatchSize);
        if (resumeFrom is null)
        {
            _stream = EpisodeSources.Open(_cfg.Data, _cfg.Seed, _model.Spec.Input, shard: shard, generatedOptions: generated);
            BatchSizeCheck.Check(train.BatchSize, train.GradAccumSteps, _stream, _model.Spec.Input);
            _progress = new TrainerProgress(0, null, 0, 0);
            _run = !_world.IsRoot ? RunDirectory.At(newRunPath!) : RunDirectory.Create(options.RunsRoot, config, new RunInfo(
                _cfg.Name, "", config.Sha256, GitInfo.Commit(), GitInfo.Dirty(), _cfg.Seed, _device.ToString(),
                torch.get_num_threads(), DateTimeOffset.UtcNow, null, "running", EpisodeSources.Fingerprint(_cfg.Data, _stream),
                0, null, [], WorldSize: _world.Size), Path.GetFileName(newRunPath));
            _metrics = _world.IsRoot ? new MetricsLogger(_run.Path) : null;
        }
        else
        {
            _run = resumeFrom;
            string latest = _run.LatestCheckpoint ?? throw new UserError($"{_run.Path}: no step checkpoint to resume from");
            var header = Checkpoint.Restore(latest, _model, _optimizer);
            if (header.ConfigSha256 != config.Sha256) throw new UserError($"{latest} was written for another config (sha256 {header.ConfigSha256[..12]})");
            var (torchRng, loader) = DataParallel.RankStateIn(header, latest, _world);
            Checkpoint.RestoreTorchRng(torchRng);
            _rng = Rng.FromState(header.Rng!.Value);
            _stream = EpisodeSources.Open(_cfg.Data, _cfg.Seed, _model.Spec.Input, loader, shard, generated);
            _progress = header.Progress;
            _savedStep = _progress.Step;
            if (_world.IsRoot)
            {
                var info = _run.ReadInfo();
                _run.WriteInfo(info with { Status = "running", Ended = null, Resumed = [.. info.Resumed, DateTimeOffset.UtcNow] });
                // At the final step the end-of-run evaluation follows the checkpoint; the resumed run redoes it.
                _metrics = new MetricsLogger(_run.Path, resumeAfterStep: _progress.Step, _progress.Step >= _cfg.Train.Steps ? ["val"] : []);
            }
            Log($"resumed from {latest} at step {_progress.Step}", Echo);
        }

        _checkpoints = new Checkpointer(_run, train.KeepCheckpoints);
        long parameters = _model.Module.parameters().Sum(p => p.numel());
        Log($"run {_run.Path}: {_cfg.Model.Family}/{_cfg.Model.Size} reading {_model.Spec.Input.Describe()}, {parameters:N0} parameters ({_trainable.Sum(p => p.numel()):N0} trainable), " +
            $"device {_device}, threads {torch.get_num_threads()}, train {_cfg.Train.Steps} steps × {_cfg.Train.BatchSize} episodes, " +
            $"{_validation.Count} validation episodes" +
            (_lora is null ? "" : $", LoRA r={_lora.Rank} on {_lora.Modules.Count} layers") +
            (parts.Count > 0 ? $", {parts.Count} tensors from {string.Join(", ", train.InitParts.Select(p => $"{p.From} ({p.Module})"))}" : "") +
            (frozen.Count > 0 ? $", {frozen.Count} frozen tensors" : "") +
            (_device.type == DeviceType.CUDA && train.AllowTf32 ? ", TF32 on" : "") +
            (_world.Size > 1 ? $", {_world.Size} ranks × {train.BatchSize / _world.Size} episodes (data.sharding {ConfigBinder.EnumKey(_cfg.Data.Sharding)}, {_world.Transport})" : ""),
            ProgressEcho);
    }

    /// <summary>Runs the loop from the current step to train.steps (or an early stop / StopAfterStep).</summary>
    public TrainResult Train()
    {
        var train = _cfg.Train;
        var clock = Stopwatch.StartNew();
        int startStep = _progress.Step;
        string status = "completed";
        // Counts only this process's steps, so a resumed run's rate and ETA are honest.
        using var bar = _options.ShowProgress && _world.IsRoot ? new ProgressBar("train", train.Steps - startStep, _options.ProgressWriter) : null;
        var timing = new StepTiming();
        try
        {
            while (_progress.Step < train.Steps)
            {
                if (_options.StopAfterStep is int stop && _progress.Step >= stop) { status = "stopped"; break; }
                var (loss, accuracy, gradNorm, lr, steps) = Step(timing);
                int step = _progress.Step;
                _latest["train_loss"] = loss;
                if (step % train.LogEvery == 0 || step == train.Steps)
                {
                    _metrics?.Log(step, "train", new Dictionary<string, double>
                    {
                        ["loss"] = loss, ["accuracy"] = accuracy, ["grad_norm"] = gradNorm, ["lr"] = lr, ["steps_in_batch"] = steps,
                        ["samples_per_s"] = timing.Samples / Math.Max(timing.Total.TotalSeconds, 1e-9),
                    });
                }
                bool stopEarly = false;
                if (train.EvalEvery > 0 && step % train.EvalEvery == 0 && step < train.Steps) stopEarly = _world.RootDecides(() => Evaluate());
                if (step % train.CheckpointEvery == 0 || stopEarly) SaveStep();
                bar?.Report(step - startStep, $"step {step}/{train.Steps} loss {loss:0.000} lr {lr:0.0e+0}");
                _options.AfterStep?.Invoke(step);
                if (stopEarly) { status = "early_stopped"; break; }
            }
            if (status == "completed")
            {
                if (_savedStep != _progress.Step) SaveStep();
                if (_world.IsRoot) Evaluate(final: true);
            }
            else if (_savedStep != _progress.Step) SaveStep();
        }
        catch (TrainingDivergedException e)
        {
            Finish("diverged", e.Message);
            throw;
        }
        catch (Exception e)
        {
            Finish("failed", $"{e.GetType().Name}: {e.Message}");
            throw;
        }

        _latest["train_seconds"] = clock.Elapsed.TotalSeconds;
        _latest["steps"] = _progress.Step;
        _latest["samples_per_s"] = timing.Samples / Math.Max(timing.Total.TotalSeconds, 1e-9);
        Log($"{status} at step {_progress.Step} ({_progress.Step - startStep} steps in {clock.Elapsed.TotalSeconds:0.0} s; " +
            $"data {timing.Data.TotalSeconds:0.0} s, forward {timing.Forward.TotalSeconds:0.0} s, backward {timing.Backward.TotalSeconds:0.0} s, " +
            (_world.Size > 1 ? $"all-reduce {timing.AllReduce.TotalSeconds:0.0} s, " : "") + $"optimizer {timing.Optimizer.TotalSeconds:0.0} s)",
            ProgressEcho);
        Finish(status, null);
        return new TrainResult(_run.Path, status, _progress.Step, new Dictionary<string, double>(_latest), _checkpoints.Last, _run.BestCheckpoint);
    }

    /// <summary>One optimizer step; returns (loss, accuracy, grad norm, lr, real steps in batch).</summary>
    private (double Loss, double Accuracy, double GradNorm, double Lr, int Steps) Step(StepTiming timing)
    {
        var train = _cfg.Train;
        int step = _progress.Step + 1; // 1-based number of the step being taken
        using var noGc = NoGcRegion.Enter();
        using var scope = NewDisposeScope();
        double lr = _schedule.At(step - 1);
        foreach (var group in _optimizer.ParamGroups) group.LearningRate = lr;

        var t0 = Stopwatch.GetTimestamp();
        int batch = train.BatchSize / _world.Size; // this rank's episodes
        var episodes = new List<DemoEpisode>(batch);
        for (int i = 0; i < batch; i++) episodes.Add(_stream.Next());
        timing.Data += Stopwatch.GetElapsedTime(t0);
        t0 = Stopwatch.GetTimestamp();
        int realSteps = DataParallel.GlobalSteps(_world, episodes); // of the whole batch, over all ranks
        timing.AllReduce += Stopwatch.GetElapsedTime(t0);

        _optimizer.zero_grad();
        var (lossSum, correct) = AccumulateGradients(_model, episodes, train.GradAccumSteps, _cfg.Model.MaxMissionLength, _device, timing, realSteps);
        _options.AfterBackward?.Invoke(step);
        if (_options.NanAtStep == step) FaultInjection.PoisonGradients(_trainable);
        t0 = Stopwatch.GetTimestamp();
        DataParallel.SumGradients(_world, _trainable, ref lossSum, ref correct);
        timing.AllReduce += Stopwatch.GetElapsedTime(t0);

        t0 = Stopwatch.GetTimestamp();
        double gradNorm = train.GradClip > 0
            ? nn.utils.clip_grad_norm_(_trainable, train.GradClip)
            : nn.utils.clip_grad_norm_(_trainable, double.PositiveInfinity);
        double meanLoss = lossSum / realSteps;
        if (!double.IsFinite(meanLoss) || !double.IsFinite(gradNorm))
        {
            string detail = $"loss {meanLoss}, gradient norm {gradNorm}";
            Log($"non-finite values at step {step}: {detail}; stopping", Echo);
            throw new TrainingDivergedException(step, detail, _checkpoints.Last);
        }
        _optimizer.step();
        timing.Optimizer += Stopwatch.GetElapsedTime(t0);
        timing.Samples += realSteps;

        _progress = _progress with { Step = step };
        return (meanLoss, (double)correct / realSteps, gradNorm, lr, realSteps);
    }

    /// <summary>
    /// Backward of the batch's mean loss, in <paramref name="microBatches"/> equal parts: each part's summed loss is
    /// divided by the real steps of the whole batch, so the accumulated gradients equal the full batch's.
    /// <paramref name="batchSteps"/>: real steps of the whole batch when these episodes are one rank's part of it
    /// (default: these episodes' own). Returns Σ loss over these episodes' real steps and the right argmax predictions.
    /// </summary>
    public static (double LossSum, long Correct) AccumulateGradients(IAgentModel model, IReadOnlyList<DemoEpisode> episodes, int microBatches,
        int maxMissionLength, Device device, StepTiming? timing = null, int? batchSteps = null)
    {
        if (episodes.Count % microBatches != 0) throw new ArgumentException($"{episodes.Count} episodes do not split into {microBatches} equal micro-batches");
        int realSteps = batchSteps ?? episodes.Sum(e => e.Steps.Length);
        int micro = episodes.Count / microBatches;
        double lossSum = 0;
        long correct = 0;
        for (int m = 0; m < microBatches; m++)
        {
            long t0 = Stopwatch.GetTimestamp();
            var (sequence, actions) = EpisodeBatcher.Build(episodes.Skip(m * micro).Take(micro).ToList(), model.Spec.Input, maxMissionLength, device, model.Spec.VocabSize);
            long t1 = Stopwatch.GetTimestamp();
            var (loss, hits) = SummedLoss(model, sequence, actions);
            long t2 = Stopwatch.GetTimestamp();
            using (Scalar total = realSteps) loss.div(total).backward(); // scalar kept alive through the op (see Models.Scalars)
            lossSum += loss.item<float>();
            correct += hits;
            if (timing is null) continue;
            timing.Data += Stopwatch.GetElapsedTime(t0, t1);
            timing.Forward += Stopwatch.GetElapsedTime(t1, t2);
            timing.Backward += Stopwatch.GetElapsedTime(t2);
        }
        return (lossSum, correct);
    }

    /// <summary>Σ cross-entropy over the real steps of a sequence batch, and how many argmax predictions were right.</summary>
    public static (Tensor Loss, long Correct) SummedLoss(IAgentModel model, AgentSequence sequence, Tensor actions)
    {
        var logits = model.ForwardSequence(sequence);                                  // (B, T, 7)
        var index = sequence.Mask.reshape(-1).nonzero().squeeze(1);                    // (N)
        var real = logits.reshape(-1, AgentObs.Actions).index_select(0, index);        // (N, 7)
        var target = actions.reshape(-1).index_select(0, index);                       // (N)
        long correct;
        using (no_grad()) correct = real.argmax(1).eq(target).sum().item<long>();
        return (F.cross_entropy(real, target, reduction: nn.Reduction.Sum), correct);
    }

    /// <summary>Validation loss and rollouts; updates best.ckpt; returns true when early stopping triggers.</summary>
    private bool Evaluate(bool final = false)
    {
        var values = new Dictionary<string, double>();
        if (_validation.Count > 0) values["loss"] = ValidationLoss();
        var rollout = _cfg.Train.Rollout;
        if (rollout.Levels.Count > 0)
        {
            foreach (var level in rollout.Levels)
                values[$"success/{level}"] = RolloutSuccess.Rate(_model, level, rollout.Episodes, (long)(_rng.NextULong() >> 2), _device);
            values["success"] = rollout.Levels.Average(l => values[$"success/{l}"]);
        }
        if (values.Count == 0) return false;
        int step = _progress.Step;
        _metrics?.Log(step, "val", values);
        foreach (var (k, v) in values) _latest[$"val_{k}"] = v;

        double? metric = rollout.SelectBySuccess && values.TryGetValue("success", out double s) ? -s
            : values.TryGetValue("loss", out double l) ? l : null;
        if (metric is null) return false;
        if (_progress.BestMetric is null || metric < _progress.BestMetric)
        {
            _progress = _progress with { BestMetric = metric, BestStep = step, EvalsWithoutImprovement = 0 };
            _checkpoints.SaveBest(Header(CheckpointHeader.Model), _model);
            _latest["best_step"] = step;
            _latest[rollout.SelectBySuccess ? "best_val_success" : "best_val_loss"] = Math.Abs(metric.Value);
        }
        else
        {
            _progress = _progress with { EvalsWithoutImprovement = _progress.EvalsWithoutImprovement + 1 };
        }
        int patience = _cfg.Train.EarlyStoppingPatience;
        bool stop = !final && patience > 0 && _progress.EvalsWithoutImprovement >= patience;
        if (stop) Log($"early stopping at step {step}: no improvement in {patience} evaluations (best at step {_progress.BestStep})", ProgressEcho);
        return stop;
    }

    private double ValidationLoss()
    {
        bool training = _model.Module.training;
        _model.Module.eval();
        try
        {
            using var _ = no_grad();
            double sum = 0;
            int count = 0;
            foreach (var chunk in _validation.Chunk(Math.Max(1, _cfg.Train.BatchSize / _cfg.Train.GradAccumSteps)))
            {
                using var noGc = NoGcRegion.Enter();
                using var scope = NewDisposeScope();
                var (sequence, actions) = EpisodeBatcher.Build(chunk, _model.Spec.Input, _cfg.Model.MaxMissionLength, _device, _model.Spec.VocabSize);
                sum += SummedLoss(_model, sequence, actions).Loss.item<float>();
                count += chunk.Sum(e => e.Steps.Length);
            }
            return sum / count;
        }
        finally
        {
            _model.Module.train(training);
        }
    }

    private CheckpointHeader Header(string kind) => new(
        kind, _model.Spec, _lora, _lora is null ? null : _cfg.Train.InitFrom, _config.ResolvedYaml, _config.Sha256, _progress,
        new Dictionary<string, double>(_latest),
        kind == CheckpointHeader.Train ? Checkpoint.TorchRngState() : null,
        kind == CheckpointHeader.Train ? _rng.State : null,
        kind == CheckpointHeader.Train ? _stream.State : null,
        EpisodeSources.Fingerprint(_cfg.Data, _stream),
        // Adapter-only files need a base to rebuild from: only when everything but the adapters is init_from's, unchanged.
        AdapterOnly: _lora is not null && _cfg.Train.Lora.AdapterOnlyCheckpoints && _cfg.Train.Lora.FreezeBase && _cfg.Train.InitFrom is not null);

    /// <summary>A resumable checkpoint: every rank's state gathered (a collective), rank 0 writes it.</summary>
    private void SaveStep()
    {
        var header = Header(CheckpointHeader.Train) with { Ranks = DataParallel.GatherRankStates(_world, _stream, _model, _progress.Step) };
        if (_world.IsRoot) _checkpoints.SaveStep(_progress.Step, header, _model, _optimizer);
        _savedStep = _progress.Step;
    }

    /// <summary>The run log (echoed to <paramref name="echo"/>): rank 0 only.</summary>
    private void Log(string message, TextWriter? echo)
    {
        if (_world.IsRoot) _run.Log(message, echo);
    }

    private void Finish(string status, string? message)
    {
        if (!_world.IsRoot) return;
        var info = _run.ReadInfo();
        _run.WriteInfo(info with
        {
            Status = status, Ended = DateTimeOffset.UtcNow, StepsCompleted = _progress.Step,
            FinalMetrics = new Dictionary<string, double>(_latest), Message = message,
        });
    }

    public void Dispose()
    {
        _stream.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
    }

    /// <summary>Where the time of the steps went (wall clock; on CPU the ops are synchronous).</summary>
    public sealed class StepTiming
    {
        public TimeSpan Data, Forward, Backward, AllReduce, Optimizer;
        public long Samples;
        public TimeSpan Total => Data + Forward + Backward + AllReduce + Optimizer;
    }
}
