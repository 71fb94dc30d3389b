using TorchSharp;

namespace Workbench.Distributed;

/// <summary>
/// The collective operations data-parallel training needs, over the processes (ranks 0 … Size−1) of one job.
/// MPI semantics: every rank makes the same calls in the same order with matching sizes, and a call returns on a
/// rank only once the others have made it too.
///
/// Implementations: <see cref="SingleProcess"/> (one rank, no native library), <see cref="MpiCollective"/>
/// (Open MPI's libmpi.so.40, CPU tensors), and — designed, not built — an NCCL one for CUDA tensors
/// (see src/ARCHITECTURE.md, "Distributed"). <see cref="Collectives.FromEnvironment"/> picks one from how the
/// process was launched.
/// </summary>
public interface ICollective : IDisposable
{
    /// <summary>This process's number, 0 … Size−1.</summary>
    int Rank { get; }

    /// <summary>Processes in the job (MPI world size).</summary>
    int Size { get; }

    /// <summary>Rank 0: the one that evaluates and writes run outputs.</summary>
    bool IsRoot => Rank == 0;

    /// <summary>Processes of the job on this machine; they share its cores.</summary>
    int LocalSize { get; }

    /// <summary>What carries the collectives, for logs: "single process", "Open MPI 4.1.4", …</summary>
    string Transport { get; }

    /// <summary>
    /// In place, every tensor becomes the element-wise sum of that tensor over all ranks. Every rank passes
    /// tensors of the same dtype (float32), shapes and order, all on the device this implementation serves.
    /// </summary>
    void AllReduceSum(IReadOnlyList<torch.Tensor> tensors);

    /// <summary>In place, every value becomes its sum over all ranks (counts, loss sums: exact for integers below 2^53).</summary>
    void AllReduceSum(Span<double> values);

    /// <summary>Rank <paramref name="root"/>'s bytes are copied into <paramref name="data"/> on every rank; all pass the same length.</summary>
    void Broadcast(Span<byte> data, int root = 0);

    /// <summary>Every rank's bytes (of any length), indexed by rank; the same array on every rank.</summary>
    byte[][] AllGather(ReadOnlySpan<byte> mine);

    /// <summary>Returns once every rank has called it.</summary>
    void Barrier();

    /// <summary>Ends every process of the job now with <paramref name="exitCode"/>: for a failure only this rank saw.</summary>
    void Abort(int exitCode);
}
