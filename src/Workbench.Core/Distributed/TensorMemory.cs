using System.Runtime.InteropServices;
using TorchSharp;

namespace Workbench.Distributed;

/// <summary>
/// The address of a tensor's first element, for handing CPU (or, for NCCL, CUDA) memory to a native collective
/// without a managed copy. TorchSharp 0.107 keeps this pointer internal (its TensorAccessor reads it through
/// LibTorchSharp's exported <c>THSTensor_data</c>); we resolve the same export from the library TorchSharp loaded.
/// </summary>
internal static unsafe class TensorMemory
{
    private static readonly delegate* unmanaged<nint, nint> Data = Resolve();

    /// <summary>Pointer to element 0 of a contiguous tensor; valid while the tensor lives and is not resized.</summary>
    public static nint DataPointer(torch.Tensor tensor)
    {
        if (!tensor.is_contiguous()) throw new ArgumentException("the tensor must be contiguous", nameof(tensor));
        nint pointer = Data(tensor.Handle);
        if (pointer == 0 && tensor.numel() > 0) throw new InvalidOperationException("THSTensor_data returned null");
        return pointer;
    }

    /// <summary>SHA-256 over the bytes of CPU tensors in order (contiguous copies where needed): equal iff bitwise equal.</summary>
    public static string Sha256(IEnumerable<torch.Tensor> tensors)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var t in tensors)
        {
            using var c = t.detach().cpu().contiguous();
            hash.AppendData(new ReadOnlySpan<byte>((void*)DataPointer(c), checked((int)(c.numel() * c.element_size()))));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static delegate* unmanaged<nint, nint> Resolve()
    {
        torch.InitializeDeviceType(DeviceType.CPU); // makes TorchSharp load its native library first
        if (!NativeLibrary.TryLoad("LibTorchSharp", typeof(torch).Assembly, null, out var library)
            || !NativeLibrary.TryGetExport(library, "THSTensor_data", out var export))
            throw new InvalidOperationException("LibTorchSharp's THSTensor_data is not available");
        return (delegate* unmanaged<nint, nint>)export;
    }
}
