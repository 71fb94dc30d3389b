using System.Runtime;
using System.Runtime.CompilerServices;

namespace Workbench.Data;

/// <summary>
/// Large decode buffers (a row group's obs column, several MB) that are reused once the GC has proved them unreachable.
///
/// Why: the loader hands out observations as slices of their row group's decoded buffer (no copy per row). Fresh
/// buffers of that size come from new pages of the OS, and faulting them in cost 3–4× the decompression itself
/// (measured by <c>workbench bench data</c>); a pool avoids that. When a buffer may be returned cannot be known from the
/// loader — training keeps episodes for a step, validation for the whole run — so the GC decides: each rented array
/// is the key of a <see cref="ConditionalWeakTable{TKey, TValue}"/> entry whose value has a finalizer. The value becomes
/// unreachable only when the array itself is (no slice, span or array reference left anywhere, stacks included); its
/// finalizer then puts the array back into the pool. A buffer in use can therefore never be handed out twice.
///
/// Arrays this large live on the large-object heap, which only full collections free, and those are rare when every
/// allocation is a recycled one. So when the pool is empty and <see cref="CollectAfterBytes"/> have been handed out since
/// the last full collection, <see cref="Rent"/> runs one (blocking, not compacting — the heap is mostly these arrays, so
/// it is short) and waits for the finalizers before it allocates: the number of buffers then settles at what the loader
/// holds plus that allowance, whatever the dataset size. Never inside a no-GC region: training steps use one
/// (<see cref="Runtime.NoGcRegion"/>) and a collection would end it.
/// </summary>
internal static class RecycledBuffers
{
    /// <summary>Idle bytes kept for reuse at most (beyond it arrays are left to the GC).</summary>
    public const long MaxIdleBytes = 256L << 20;

    /// <summary>Bytes handed out between full collections that the pool may run on before it asks for one.</summary>
    public const long CollectAfterBytes = 24L << 20;

    private const int Granule = 64 << 10;

    private static readonly ConditionalWeakTable<byte[], Recycler> Tracked = new();
    private static readonly List<byte[]> Idle = [];
    private static readonly object CollectGate = new();
    private static long _idleBytes, _reused, _allocated, _collections, _rentedSinceFullGc;
    private static int _fullGcSeen;

    /// <summary>Arrays handed out again from the pool / freshly allocated / full collections this pool asked for (whole process).</summary>
    public static (long Reused, long Allocated, long Collections) Counts =>
        (Interlocked.Read(ref _reused), Interlocked.Read(ref _allocated), Interlocked.Read(ref _collections));

    /// <summary>An array of at least <paramref name="size"/> bytes (contents undefined) that returns to the pool when it becomes unreachable.</summary>
    public static byte[] Rent(int size)
    {
        var array = TakeIdle(size, out _);
        if (array is null)
        {
            // One thread collects at a time, and the others look again after it: a renter racing a collection must not
            // allocate while the buffers it frees are on their way back (with two decode threads that grew the pool).
            lock (CollectGate)
            {
                array = TakeIdle(size, out bool collect);
                if (array is null && collect)
                {
                    Interlocked.Increment(ref _collections);
                    lock (Idle) _rentedSinceFullGc = 0;
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
                    GC.WaitForPendingFinalizers(); // the dead buffers are back in the pool before this decode goes on
                    array = TakeIdle(size, out _);
                }
            }
        }
        lock (Idle) _rentedSinceFullGc += size;
        if (array is null)
        {
            array = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, ((long)size + Granule - 1) / Granule * Granule));
            Interlocked.Increment(ref _allocated);
        }
        else Interlocked.Increment(ref _reused);
        Tracked.AddOrUpdate(array, new Recycler(array));
        return array;
    }

    /// <summary>The best-fitting idle array (wasting at most a quarter of it, or one allocation granule), or null; <paramref name="collect"/> says whether a full collection is due.</summary>
    private static byte[]? TakeIdle(int size, out bool collect)
    {
        int fullGcs = GC.CollectionCount(2);
        lock (Idle)
        {
            if (fullGcs != _fullGcSeen) (_fullGcSeen, _rentedSinceFullGc) = (fullGcs, 0);
            int best = -1;
            for (int i = 0; i < Idle.Count; i++)
                if (Idle[i].Length >= size && Idle[i].Length - size <= Math.Max(Idle[i].Length / 4, Granule) && (best < 0 || Idle[i].Length < Idle[best].Length)) best = i;
            if (best < 0)
            {
                collect = _rentedSinceFullGc >= CollectAfterBytes && GCSettings.LatencyMode != GCLatencyMode.NoGCRegion;
                return null;
            }
            collect = false;
            var array = Idle[best];
            Idle[best] = Idle[^1];
            Idle.RemoveAt(Idle.Count - 1);
            _idleBytes -= array.Length;
            return array;
        }
    }

    private static void Return(byte[] array)
    {
        lock (Idle)
        {
            if (_idleBytes + array.Length > MaxIdleBytes) return;
            Idle.Add(array);
            _idleBytes += array.Length;
        }
    }

    /// <summary>Lives exactly as long as its array is reachable from elsewhere (the table's dependent handle).</summary>
    private sealed class Recycler(byte[] array)
    {
        ~Recycler() => Return(array);
    }
}
