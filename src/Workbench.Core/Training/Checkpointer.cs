using TorchSharp.Modules;
using Workbench.Models;

namespace Workbench.Training;

/// <summary>
/// Where a run's checkpoints go and how many stay: <c>checkpoints/step-NNNNNNN.ckpt</c> (resumable; the oldest beyond
/// <c>keep</c> are deleted) and <c>checkpoints/best.ckpt</c> (weights of the best evaluation). Files are written
/// atomically by <see cref="Checkpoint.Save"/>, so a crash leaves the previous checkpoint intact.
/// </summary>
public sealed class Checkpointer(RunDirectory run, int keep)
{
    /// <summary>The last step checkpoint written or resumed from.</summary>
    public string? Last { get; private set; } = run.LatestCheckpoint;

    public string SaveStep(int step, CheckpointHeader header, IAgentModel model, OptimizerHelper optimizer) =>
        SaveStep(step, header, model.Module, optimizer);

    public string SaveStep(int step, CheckpointHeader header, TorchSharp.torch.nn.Module network, OptimizerHelper optimizer)
    {
        string path = run.StepCheckpoint(step);
        Checkpoint.Save(path, header, network, optimizer);
        Last = path;
        foreach (var old in run.StepCheckpoints.SkipLast(keep)) File.Delete(old);
        return path;
    }

    public string SaveBest(CheckpointHeader header, IAgentModel model) => SaveBest(header, model.Module);

    public string SaveBest(CheckpointHeader header, TorchSharp.torch.nn.Module network)
    {
        Checkpoint.Save(run.BestCheckpointPath, header, network);
        return run.BestCheckpointPath;
    }
}
