using System.Runtime.InteropServices;

namespace Workbench.Distributed;

/// <summary>libmpi could not be loaded in a process that was launched as an MPI rank.</summary>
public sealed class MpiMissingException(string message) : UserError(message);

/// <summary>
/// The few Open MPI 4.x entry points data-parallel training uses, bound by hand (MPI.NET targets Windows' msmpi
/// only). Function pointers come from <c>dlsym</c>; MPI handles are what Open MPI's <c>mpi.h</c> macros expand to —
/// the <em>addresses</em> of exported globals: <c>MPI_COMM_WORLD</c> = <c>&amp;ompi_mpi_comm_world</c>,
/// <c>MPI_FLOAT</c> = <c>&amp;ompi_mpi_float</c>, <c>MPI_SUM</c> = <c>&amp;ompi_mpi_op_sum</c>; <c>MPI_IN_PLACE</c> is
/// <c>(void*)1</c>. These are Open MPI's ABI, not the MPI standard's (MPICH uses integer handles), so this binds
/// libmpi.so.40 (Open MPI 3.x – 4.x) only.
///
/// The library is opened with RTLD_GLOBAL: Open MPI loads its components (mca_pml_ob1.so, …) with dlopen and they
/// resolve ompi_* symbols from the already loaded libmpi, which .NET's own loader (RTLD_LOCAL) would hide.
/// </summary>
internal sealed unsafe partial class MpiLibrary
{
    public const string FileName = "libmpi.so.40";
    public const int ThreadSerialized = 2; // MPI_THREAD_SERIALIZED in Open MPI's mpi.h
    public static readonly nint InPlace = 1;

    public readonly nint CommWorld, Float, Double, Byte, Int, OpSum;

    public readonly delegate* unmanaged<int*, byte***, int, int*, int> InitThread;
    public readonly delegate* unmanaged<int*, int> Initialized;
    public readonly delegate* unmanaged<int*, int> Finalized;
    public readonly delegate* unmanaged<int> Finalize;
    public readonly delegate* unmanaged<nint, int*, int> CommRank;
    public readonly delegate* unmanaged<nint, int*, int> CommSize;
    public readonly delegate* unmanaged<nint, nint, int, nint, nint, nint, int> Allreduce;
    public readonly delegate* unmanaged<nint, int, nint, int, nint, int> Bcast;
    public readonly delegate* unmanaged<nint, int, nint, nint, int, nint, nint, int> Allgather;
    public readonly delegate* unmanaged<nint, int> Barrier;
    public readonly delegate* unmanaged<nint, int, int> Abort;
    public readonly delegate* unmanaged<byte*, int*, int> GetLibraryVersion;
    private readonly delegate* unmanaged<int, byte*, int*, int> _errorString;

    private MpiLibrary(nint library)
    {
        nint Export(string name) =>
            NativeLibrary.TryGetExport(library, name, out var address) ? address
                : throw new MpiMissingException($"{FileName} has no symbol {name}: Open MPI 3.x or 4.x is required (Debian: apt-get install openmpi-bin)");
        CommWorld = Export("ompi_mpi_comm_world");
        Float = Export("ompi_mpi_float");
        Double = Export("ompi_mpi_double");
        Byte = Export("ompi_mpi_byte");
        Int = Export("ompi_mpi_int");
        OpSum = Export("ompi_mpi_op_sum");
        InitThread = (delegate* unmanaged<int*, byte***, int, int*, int>)Export("MPI_Init_thread");
        Initialized = (delegate* unmanaged<int*, int>)Export("MPI_Initialized");
        Finalized = (delegate* unmanaged<int*, int>)Export("MPI_Finalized");
        Finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        CommRank = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_rank");
        CommSize = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_size");
        Allreduce = (delegate* unmanaged<nint, nint, int, nint, nint, nint, int>)Export("MPI_Allreduce");
        Bcast = (delegate* unmanaged<nint, int, nint, int, nint, int>)Export("MPI_Bcast");
        Allgather = (delegate* unmanaged<nint, int, nint, nint, int, nint, nint, int>)Export("MPI_Allgather");
        Barrier = (delegate* unmanaged<nint, int>)Export("MPI_Barrier");
        Abort = (delegate* unmanaged<nint, int, int>)Export("MPI_Abort");
        GetLibraryVersion = (delegate* unmanaged<byte*, int*, int>)Export("MPI_Get_library_version");
        _errorString = (delegate* unmanaged<int, byte*, int*, int>)Export("MPI_Error_string");
    }

    /// <summary>Environment variable naming another libmpi to load (a path, e.g. of an Open MPI built under /opt).</summary>
    public const string LibraryVariable = "WORKBENCH_MPI_LIBRARY";

    /// <summary>Opens libmpi.so.40 (or $WORKBENCH_MPI_LIBRARY), or explains what to install.</summary>
    /// <exception cref="MpiMissingException">the library is not installed or is not Open MPI.</exception>
    public static MpiLibrary Load()
    {
        string file = Environment.GetEnvironmentVariable(LibraryVariable) is { Length: > 0 } chosen ? chosen : FileName;
        dlerror(); // binds the stub now: resolving it after a failed dlopen would clear the message we want
        nint handle = dlopen(file, RtldNow | RtldGlobal);
        if (handle == 0)
        {
            string why = Marshal.PtrToStringUTF8(dlerror()) ?? "not found";
            throw new MpiMissingException($"this process was started as an MPI rank but {file} cannot be loaded ({why}); " +
                                          "install Open MPI (Debian/Ubuntu: apt-get install openmpi-bin, which brings libopenmpi3), " +
                                          "or run without mpirun/srun for a single process");
        }
        return new MpiLibrary(handle);
    }

    /// <summary>Throws with MPI's own message unless <paramref name="code"/> is MPI_SUCCESS (0).</summary>
    public void Check(int code, string call)
    {
        if (code == 0) return;
        const int maxErrorString = 256; // MPI_MAX_ERROR_STRING
        byte* text = stackalloc byte[maxErrorString];
        int length = 0;
        string message = _errorString(code, text, &length) == 0 ? Marshal.PtrToStringUTF8((nint)text, length) : $"error {code}";
        throw new InvalidOperationException($"{call} failed: {message}");
    }

    private const int RtldNow = 2, RtldGlobal = 0x100;

    [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint dlopen(string file, int mode);

    [LibraryImport("libc.so.6")]
    private static partial nint dlerror();
}
