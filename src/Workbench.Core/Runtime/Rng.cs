namespace Workbench.Runtime;

/// <summary>
/// Small, fast, seedable random generator (xoshiro256**, seeded through SplitMix64) whose whole state is
/// four longs, so it can be saved in a checkpoint and restored exactly. Use it wherever determinism or
/// resume matters instead of System.Random.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;

    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    /// <summary>A generator for a derived stream, e.g. (seed, epoch) or (seed, episode), independent of the parent's use.</summary>
    public static Rng Derive(ulong seed, params ulong[] keys)
    {
        ulong h = seed ^ 0x9E3779B97F4A7C15UL;
        foreach (ulong k in keys)
        {
            ulong x = h ^ (k * 0xBF58476D1CE4E5B9UL);
            h = SplitMix(ref x);
        }
        return new Rng(h);
    }

    public RngState State => new(_s0, _s1, _s2, _s3);

    public static Rng FromState(RngState state)
    {
        var rng = new Rng(0);
        (rng._s0, rng._s1, rng._s2, rng._s3) = (state.S0, state.S1, state.S2, state.S3);
        return rng;
    }

    public ulong NextULong()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform integer in [0, maxExclusive) without modulo bias (Lemire's method).</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive), "must be > 0");
        ulong range = (ulong)maxExclusive;
        UInt128 m = (UInt128)NextULong() * range;
        ulong low = (ulong)m;
        if (low < range)
        {
            ulong threshold = (0 - range) % range;
            while (low < threshold)
            {
                m = (UInt128)NextULong() * range;
                low = (ulong)m;
            }
        }
        return (int)(m >> 64);
    }

    /// <summary>Uniform integer in [minInclusive, maxExclusive).</summary>
    public int NextInt(int minInclusive, int maxExclusive) => minInclusive + NextInt(maxExclusive - minInclusive);

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public bool NextBool() => (NextULong() >> 63) != 0;

    public T Choice<T>(IReadOnlyList<T> items) => items[NextInt(items.Count)];

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>The full state of an <see cref="Rng"/>; small and serialisable (JSON, checkpoints).</summary>
public readonly record struct RngState(ulong S0, ulong S1, ulong S2, ulong S3);
