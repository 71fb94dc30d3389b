using System.Runtime.ExceptionServices;
using System.Text;
using TorchSharp;

namespace Workbench.Distributed;

/// <summary>
/// A user error every rank detects identically (the ranks compared what they gathered): rank 0 alone reports it,
/// every rank stops with exit code 2.
/// </summary>
public sealed class AllRanksError(string message) : UserError(message);

/// <summary>
/// Thrown on ranks that are stopping because another rank failed in a step they took together; that rank
/// (<see cref="FailedRank"/>) reports its own error, so these stay silent.
/// </summary>
public sealed class PeerFailedException(int failedRank)
    : Exception($"rank {failedRank} failed (it reports the error)")
{
    public int FailedRank { get; } = failedRank;
}

/// <summary>
/// Thrown on the one rank that reports a failure the ranks agreed on (<see cref="Agreement.Agree{T}"/>); the others
/// throw <see cref="PeerFailedException"/>, so nobody waits and nothing needs MPI_Abort.
/// </summary>
public sealed class AgreedFailureException(int rank, int failedRanks, int worldSize, Exception failure)
    : Exception(failure.Message, failure)
{
    public int Rank { get; } = rank;
    /// <summary>True when every rank failed (the same mistake everywhere, e.g. a config typo): no rank needs naming.</summary>
    public bool OnEveryRank { get; } = failedRanks == worldSize;
}

/// <summary>Collective helpers built on <see cref="ICollective"/>: agreement on failures, strings, scalars, tensors.</summary>
public static class Agreement
{
    /// <summary>
    /// Runs a step that may fail on some ranks (loading a config, opening data) and makes every rank agree on
    /// the outcome: when any rank failed, the lowest failing rank throws <see cref="AgreedFailureException"/> around
    /// its error (it is reported once) and every other rank throws <see cref="PeerFailedException"/>; a result
    /// already built is disposed. With one process the error is rethrown as it is. Every rank must call this at the
    /// same point, and <paramref name="step"/> itself must not use collectives.
    /// </summary>
    public static T Agree<T>(this ICollective world, Func<T> step)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        try { result = step(); }
        catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
        if (world.Size == 1)
        {
            failure?.Throw();
            return result;
        }
        var failed = world.AllGather([failure is null ? (byte)0 : (byte)1]);
        int first = Array.FindIndex(failed, f => f[0] == 1);
        if (first < 0) return result;
        (result as IDisposable)?.Dispose();
        if (world.Rank == first) throw new AgreedFailureException(first, failed.Count(f => f[0] == 1), world.Size, failure!.SourceException);
        throw new PeerFailedException(first);
    }

    /// <summary>Runs <paramref name="decide"/> on rank 0 only and gives its answer to every rank.</summary>
    public static bool RootDecides(this ICollective world, Func<bool> decide)
    {
        Span<byte> answer = [world.Rank == 0 && decide() ? (byte)1 : (byte)0];
        world.Broadcast(answer);
        return answer[0] == 1;
    }

    /// <summary>Rank 0's string on every rank (other ranks' arguments are ignored).</summary>
    public static string BroadcastString(this ICollective world, string valueOnRoot)
    {
        if (world.Size == 1) return valueOnRoot;
        byte[] bytes = world.Rank == 0 ? Encoding.UTF8.GetBytes(valueOnRoot) : [];
        Span<byte> length = BitConverter.GetBytes(bytes.Length);
        world.Broadcast(length);
        if (world.Rank != 0) bytes = new byte[BitConverter.ToInt32(length)];
        world.Broadcast(bytes);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Every rank's string, indexed by rank.</summary>
    public static string[] AllGatherStrings(this ICollective world, string mine) =>
        world.AllGather(Encoding.UTF8.GetBytes(mine)).Select(b => Encoding.UTF8.GetString(b)).ToArray();

    /// <summary>The sum of an integer count over all ranks (exact: sums travel as doubles, below 2^53).</summary>
    public static long SumOverRanks(this ICollective world, long mine)
    {
        Span<double> value = [mine];
        world.AllReduceSum(value);
        return (long)value[0];
    }

    /// <summary>
    /// Rank 0's values copied into the same tensors on every rank (CPU float32 tensors, e.g. parameters; one
    /// broadcast of one packed buffer).
    /// </summary>
    public static unsafe void BroadcastTensors(this ICollective world, IReadOnlyList<torch.Tensor> tensors)
    {
        if (world.Size == 1 || tensors.Count == 0) return;
        if (tensors.FirstOrDefault(t => t.dtype != torch.ScalarType.Float32 || t.device_type != DeviceType.CPU) is { } bad)
            throw new ArgumentException($"broadcast takes CPU float32 tensors, got {bad.dtype} on {bad.device}");
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var flat = torch.cat(tensors.Select(t => t.detach().reshape(-1)).ToList(), 0); // (N)
        world.Broadcast(new Span<byte>((void*)TensorMemory.DataPointer(flat), checked((int)(flat.numel() * sizeof(float)))));
        long offset = 0;
        foreach (var t in tensors)
        {
            long n = t.numel();
            t.copy_(flat.narrow(0, offset, n).view(t.shape));
            offset += n;
        }
    }
}
