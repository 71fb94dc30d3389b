using System.Runtime;

namespace Workbench.Runtime;

/// <summary>
/// Keeps the .NET garbage collector from running during one training step (when it can: a no-GC region with an
/// allocation budget; past the budget the runtime collects as usual).
///
/// Why: in TorchSharp 0.107 an implicitly converted <c>Scalar</c> (e.g. the alpha = 1 that <c>a + b</c> passes to
/// <c>add</c>, or constants inside AdamW) is unreachable once its handle is read, so a GC + finalizer can free it
/// while the native op still reads it. It surfaced once as "Expected false to be true … toFloat" from
/// THSTensor_add in a run whose Parquet loader threads allocate heavily (the same race as DiffSharp#183).
/// A step without GCs has no such window.
/// </summary>
public readonly struct NoGcRegion : IDisposable
{
    private readonly bool _entered;

    private NoGcRegion(bool entered) => _entered = entered;

    public static NoGcRegion Enter(long budgetBytes = 64L << 20)
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return default; // nested: the outer region holds
        try
        {
            return new NoGcRegion(GC.TryStartNoGCRegion(budgetBytes));
        }
        catch (ArgumentOutOfRangeException)
        {
            return default; // budget larger than this GC allows: run unprotected rather than fail
        }
        catch (InvalidOperationException)
        {
            return default; // another thread started a region
        }
    }

    public void Dispose()
    {
        if (!_entered || GCSettings.LatencyMode != GCLatencyMode.NoGCRegion) return; // budget ran out: already ended
        try { GC.EndNoGCRegion(); }
        catch (InvalidOperationException) { /* ended by an induced GC */ }
    }
}
