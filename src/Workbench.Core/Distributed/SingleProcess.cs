using TorchSharp;

namespace Workbench.Distributed;

/// <summary>
/// The world of one process: every collective is the identity (a sum over one rank is the value itself), so a
/// single-process run takes exactly the code path of a distributed one and loads no MPI library.
/// </summary>
public sealed class SingleProcess : ICollective
{
    public static readonly SingleProcess Instance = new();

    private SingleProcess() { }

    public int Rank => 0;
    public int Size => 1;
    public int LocalSize => 1;
    public string Transport => "single process";

    public void AllReduceSum(IReadOnlyList<torch.Tensor> tensors) { }
    public void AllReduceSum(Span<double> values) { }

    public void Broadcast(Span<byte> data, int root = 0)
    {
        if (root != 0) throw new ArgumentOutOfRangeException(nameof(root), root, "a single process has only rank 0");
    }

    public byte[][] AllGather(ReadOnlySpan<byte> mine) => [mine.ToArray()];
    public void Barrier() { }
    public void Abort(int exitCode) => Environment.Exit(exitCode);
    public void Dispose() { }
}
