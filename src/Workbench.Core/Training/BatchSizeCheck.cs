using Workbench.Data;
using Workbench.Envs;

namespace Workbench.Training;

/// <summary>
/// Sizes checked before the first step, so an impossible batch fails at once with a clear message instead of
/// hanging at step 0 while it tries to gather (or allocate) it.
/// </summary>
public static class BatchSizeCheck
{
    /// <summary>Bytes one step of one episode takes in a batch: the observation (uint8) plus direction, action (int64) and mask.</summary>
    private static long BytesPerStep(ObservationSpec spec) => spec.BytesPerStep + sizeof(long) * 2 + 1;

    /// <exception cref="UserError">the batch holds more episodes than the data, or cannot fit in memory even at one step per episode.</exception>
    public static void Check(int batchSize, int gradAccumSteps, IEpisodeStream stream, ObservationSpec spec, long? availableBytes = null)
    {
        if (stream is IEpisodeCount { Episodes: var episodes } && batchSize > episodes)
            throw new UserError($"train.batch_size {batchSize:N0} is larger than the {episodes:N0} episodes the data holds " +
                                "(each step would repeat episodes within one batch); lower train.batch_size or add data");
        long available = availableBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        // A lower bound: every episode has at least one step; a micro-batch is materialised at once.
        double microBatchBytes = (double)batchSize / gradAccumSteps * BytesPerStep(spec);
        if (microBatchBytes > available / 2.0)
            throw new UserError($"train.batch_size {batchSize:N0} (micro-batches of {batchSize / gradAccumSteps:N0} episodes) needs at least " +
                                $"{microBatchBytes / 1e9:0.#} GB per micro-batch ({spec.Describe()} observations), more than half of the " +
                                $"{available / 1e9:0.#} GB this process may use; lower train.batch_size or raise train.grad_accum_steps");
    }
}
