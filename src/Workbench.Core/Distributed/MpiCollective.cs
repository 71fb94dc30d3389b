using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;

namespace Workbench.Distributed;

/// <summary>
/// <see cref="ICollective"/> over MPI_COMM_WORLD with Open MPI. Gradients are CPU float32 tensors: they are packed
/// into one flat buffer so a step costs one MPI_Allreduce (one latency, and the library picks its large-message
/// algorithm), reduced in place (MPI_IN_PLACE) through the buffer's data pointer, and copied back.
///
/// MPI is initialised once per process (MPI_THREAD_SERIALIZED: calls may come from any thread, one at a time) and
/// finalised by <see cref="Dispose"/>; MPI cannot be initialised again afterwards.
/// </summary>
public sealed unsafe class MpiCollective : ICollective
{
    private readonly MpiLibrary _mpi;
    private bool _disposed;

    public int Rank { get; }
    public int Size { get; }
    public int LocalSize { get; }
    public string Transport { get; }

    internal MpiCollective(MpiLibrary mpi)
    {
        _mpi = mpi;
        int initialized, provided, rank, size;
        mpi.Check(mpi.Initialized(&initialized), "MPI_Initialized");
        if (initialized == 0) mpi.Check(mpi.InitThread(null, null, MpiLibrary.ThreadSerialized, &provided), "MPI_Init_thread");
        mpi.Check(mpi.CommRank(mpi.CommWorld, &rank), "MPI_Comm_rank");
        mpi.Check(mpi.CommSize(mpi.CommWorld, &size), "MPI_Comm_size");
        (Rank, Size) = (rank, size);
        // Ranks on this machine = ranks reporting the same host name (portable; no MPI_Comm_split_type needed).
        var hosts = AllGather(Encoding.UTF8.GetBytes(Environment.MachineName));
        LocalSize = hosts.Count(h => h.AsSpan().SequenceEqual(hosts[Rank]));
        Transport = LibraryVersion();
    }

    public void AllReduceSum(IReadOnlyList<torch.Tensor> tensors)
    {
        if (tensors.Count == 0) return;
        foreach (var t in tensors)
        {
            if (t.dtype != torch.ScalarType.Float32 || t.device_type != DeviceType.CPU)
                throw new ArgumentException($"MPI all-reduce takes CPU float32 tensors, got {t.dtype} on {t.device}; CUDA tensors need the NCCL path");
        }
        using var scope = torch.NewDisposeScope();
        var flat = torch.cat(tensors.Select(t => t.reshape(-1)).ToList(), 0); // (N) all gradients, one buffer
        ReduceInPlace(TensorMemory.DataPointer(flat), flat.numel(), _mpi.Float, sizeof(float));
        long offset = 0;
        foreach (var t in tensors)
        {
            long n = t.numel();
            t.copy_(flat.narrow(0, offset, n).view(t.shape));
            offset += n;
        }
    }

    public void AllReduceSum(Span<double> values)
    {
        fixed (double* p = values) ReduceInPlace((nint)p, values.Length, _mpi.Double, sizeof(double));
    }

    public void Broadcast(Span<byte> data, int root = 0)
    {
        fixed (byte* p = data) _mpi.Check(_mpi.Bcast((nint)p, data.Length, _mpi.Byte, root, _mpi.CommWorld), "MPI_Bcast");
    }

    public byte[][] AllGather(ReadOnlySpan<byte> mine)
    {
        // Lengths first, then every rank's bytes padded to the longest (MPI_Allgather needs equal counts).
        var lengths = new int[Size];
        int length = mine.Length;
        fixed (int* all = lengths) _mpi.Check(_mpi.Allgather((nint)(&length), 1, _mpi.Int, (nint)all, 1, _mpi.Int, _mpi.CommWorld), "MPI_Allgather");
        int longest = lengths.Max();
        var gathered = new byte[(long)longest * Size];
        if (longest > 0)
        {
            var padded = new byte[longest];
            mine.CopyTo(padded);
            fixed (byte* send = padded, receive = gathered)
                _mpi.Check(_mpi.Allgather((nint)send, longest, _mpi.Byte, (nint)receive, longest, _mpi.Byte, _mpi.CommWorld), "MPI_Allgather");
        }
        return Enumerable.Range(0, Size).Select(r => gathered.AsSpan(r * longest, lengths[r]).ToArray()).ToArray();
    }

    public void Barrier() => _mpi.Check(_mpi.Barrier(_mpi.CommWorld), "MPI_Barrier");

    public void Abort(int exitCode)
    {
        _mpi.Abort(_mpi.CommWorld, exitCode); // does not return when the launcher is alive
        Environment.Exit(exitCode);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        int finalized;
        _mpi.Check(_mpi.Finalized(&finalized), "MPI_Finalized");
        if (finalized == 0) _mpi.Check(_mpi.Finalize(), "MPI_Finalize");
    }

    /// <summary>MPI_Allreduce(MPI_IN_PLACE, …, MPI_SUM) in chunks of at most int.MaxValue elements (MPI counts are int).</summary>
    private void ReduceInPlace(nint data, long count, nint type, int elementSize)
    {
        for (long done = 0; done < count; done += int.MaxValue)
        {
            int n = (int)Math.Min(int.MaxValue, count - done);
            _mpi.Check(_mpi.Allreduce(MpiLibrary.InPlace, data + (nint)(done * elementSize), n, type, _mpi.OpSum, _mpi.CommWorld), "MPI_Allreduce");
        }
    }

    private string LibraryVersion()
    {
        const int maxVersion = 8192; // MPI_MAX_LIBRARY_VERSION_STRING is 256 in Open MPI; generous
        byte* text = stackalloc byte[maxVersion];
        int length = 0;
        _mpi.Check(_mpi.GetLibraryVersion(text, &length), "MPI_Get_library_version");
        string version = Marshal.PtrToStringUTF8((nint)text, length);
        return version.Split([',', '\n'], 2)[0].Trim();
    }
}
