using TorchSharp;

namespace Workbench.Models;

/// <summary>
/// Long-lived scalars for the models' hot paths. TorchSharp 0.107 hands an implicitly converted <c>Scalar</c>
/// (the alpha = 1 behind <c>a + b</c>, the 0 in <c>x.ne(0)</c>) to native code by handle only, so the GC can finalize it
/// while the op still reads it ("Expected false to be true … toFloat" from THSTensor_add; reproduced with a thread
/// that allocates while tensors are added). Scalars that live for the whole process cannot be finalized, so model
/// code writes <c>a.add(b, Scalars.One)</c> instead of <c>a + b</c>.
/// </summary>
internal static class Scalars
{
    public static readonly Scalar Zero = 0L;
    public static readonly Scalar One = 1L;
}
