using System.Text.Json;
using TorchSharp.Modules;
using Workbench.Config;
using Workbench.Data;
using Workbench.Distributed;
using Workbench.Models;
using Workbench.Runtime;

namespace Workbench.Training;

/// <summary>What one rank of a data-parallel run restores on resume besides the shared model and optimizer state.</summary>
/// <param name="WeightsSha256">Hash of the rank's parameters when the checkpoint was taken (all ranks must agree).</param>
public sealed record RankState(int Rank, string TorchRngState, LoaderState Loader, string WeightsSha256);

/// <summary>
/// Data-parallel training over an <see cref="ICollective"/>, as the few services the recipe calls.
///
/// One step on W ranks: each rank takes batch_size / W episodes (<see cref="Shard"/>; which ones is
/// <c>data.sharding</c>'s choice), the real steps are summed over ranks first, each rank's loss is divided by that
/// global count before backward (as gradient accumulation divides by the whole batch's), and
/// <see cref="SumGradients"/> adds the gradients of all ranks: every rank then holds the gradient of the global
/// batch's mean loss and takes the same optimizer step. Rank 0 alone writes the run directory; checkpoints carry
/// every rank's RNG and loader state (<see cref="GatherRankStates"/>).
/// </summary>
public static class DataParallel
{
    /// <summary>
    /// Start-up checks every rank makes together: the same config on every rank (sha256 of the resolved YAML),
    /// a batch that splits over the ranks, CPU tensors. Failures are <see cref="AllRanksError"/>s: reported once.
    /// </summary>
    public static void CheckStart(ICollective world, LoadedConfig config)
    {
        if (world.Size == 1) return;
        var hashes = world.AllGatherStrings(config.Sha256);
        int other = Array.FindIndex(hashes, h => h != hashes[0]);
        if (other >= 0)
            throw new AllRanksError($"the {world.Size} ranks were started with different experiment configs: rank 0 has sha256 {hashes[0][..12]}…, " +
                                    $"rank {other} has {hashes[other][..12]}… (every rank must get the same file and the same --set overrides)");
        var cfg = (ExperimentConfig)config.Value;
        var train = cfg.Train;
        if (train.BatchSize % world.Size != 0)
            throw new AllRanksError($"train.batch_size: {train.BatchSize} episodes do not split over {world.Size} ranks; use a multiple of {world.Size} " +
                                    "(each rank trains on batch_size / ranks episodes per step)");
        int local = train.BatchSize / world.Size;
        if (local % train.GradAccumSteps != 0)
            throw new AllRanksError($"train.grad_accum_steps: {train.GradAccumSteps} does not divide the {local} episodes each of the {world.Size} ranks " +
                                    "trains on per step (batch_size / ranks)");
        if (DeviceSelector.Resolve(cfg.Device).type != TorchSharp.DeviceType.CPU)
            throw new AllRanksError($"device: {cfg.Device} — data-parallel training over MPI all-reduces CPU gradients; the CUDA (NCCL) path is " +
                                    "designed but not built (src/ARCHITECTURE.md, Distributed). Use device: cpu");
    }

    /// <summary>Builds <c>data.build</c> on rank 0 while the others wait, so the ranks do not build one dataset at once.</summary>
    public static void BuildDataOnRoot(ICollective world, ExperimentConfig cfg)
    {
        if (world.Size == 1 || cfg.Data.Build is null) return;
        world.Agree(() =>
        {
            if (world.IsRoot) EpisodeSources.BuildDataset(cfg.Data, cfg.Model.ObservationSpec());
            return true;
        });
    }

    /// <summary>This rank's part of the data: episodes per step = global batch / ranks.</summary>
    public static DataShard Shard(ICollective world, int globalBatch) => new(world.Rank, world.Size, globalBatch);

    /// <summary>Real (unpadded) steps in the global batch: the loss normaliser every rank must use.</summary>
    public static int GlobalSteps(ICollective world, IReadOnlyList<DemoEpisode> localEpisodes) =>
        checked((int)world.SumOverRanks(localEpisodes.Sum(e => (long)e.Steps.Length)));

    /// <summary>
    /// After backward: the gradients, Σ loss and the count of right predictions summed over ranks (one packed
    /// all-reduce for the gradients, one for the two statistics).
    /// </summary>
    public static void SumGradients(ICollective world, IReadOnlyList<Parameter> trainable, ref double lossSum, ref long correct)
    {
        if (world.Size == 1) return;
        world.AllReduceSum(trainable.Select((p, i) => p.grad ?? throw new InvalidOperationException(
            $"trainable parameter {i} has no gradient after backward; every rank must produce a gradient for every trainable parameter")).ToList());
        Span<double> statistics = [lossSum, correct];
        world.AllReduceSum(statistics);
        (lossSum, correct) = (statistics[0], (long)statistics[1]);
    }

    /// <summary>A new run's initial weights: rank 0's on every rank (they already agree when seeds do; this makes it certain).</summary>
    public static void BroadcastWeights(ICollective world, IAgentModel model) =>
        world.BroadcastTensors(model.Module.parameters().Select(p => (TorchSharp.torch.Tensor)p).ToList());

    /// <summary>
    /// Every rank's state for the checkpoint rank 0 writes (null for one process). All ranks compare the weight hashes
    /// they gathered: ranks that drifted apart would make a resumed run differ, so that stops the run.
    /// </summary>
    public static IReadOnlyList<RankState>? GatherRankStates(ICollective world, IEpisodeStream stream, IAgentModel model, int step)
    {
        if (world.Size == 1) return null;
        var mine = new RankState(world.Rank, Checkpoint.TorchRngState(), stream.State, TensorMemory.Sha256(model.Module.parameters()));
        var all = world.AllGatherStrings(JsonSerializer.Serialize(mine, Checkpoint.Json))
            .Select(json => JsonSerializer.Deserialize<RankState>(json, Checkpoint.Json)!).ToList();
        int drifted = all.FindIndex(r => r.WeightsSha256 != all[0].WeightsSha256);
        if (drifted >= 0)
            throw new AllRanksError($"at step {step} rank {drifted} holds different weights from rank 0 (sha256 {all[drifted].WeightsSha256[..12]}… ≠ " +
                                    $"{all[0].WeightsSha256[..12]}…): the ranks no longer train one model");
        return all;
    }

    /// <summary>This rank's torch RNG and loader state in a checkpoint; a checkpoint resumes only with the world size that wrote it.</summary>
    /// <exception cref="UserError">the world size differs from the one that wrote the checkpoint.</exception>
    public static (string TorchRngState, LoaderState? Loader) RankStateIn(CheckpointHeader header, string path, ICollective world)
    {
        int written = header.Ranks?.Count ?? 1;
        if (written != world.Size)
            throw new UserError($"{path} was written by a run of {written} rank(s) and this one has {world.Size}: resume with the same number of ranks " +
                                (written == 1 ? "(without mpirun)" : $"(mpirun -np {written} workbench resume …)") +
                                ", since each rank's data position and random state are saved");
        return header.Ranks is { } ranks ? (ranks[world.Rank].TorchRngState, ranks[world.Rank].Loader) : (header.TorchRngState!, header.Loader);
    }
}
