namespace Workbench.Data;

/// <summary>What the loader does with a file it cannot use (truncated, bad magic, wrong schema, undecodable page).</summary>
public enum BadFilePolicy
{
    /// <summary>Stop with an error naming the file (and column).</summary>
    Error,
    /// <summary>Skip it, print a warning on stderr, count it in <see cref="LoaderStats"/>.</summary>
    Warn,
    /// <summary>Skip it silently; it is still counted in <see cref="LoaderStats"/>.</summary>
    Skip,
}

/// <summary>One source of a mixture: a file, folder or glob, and its sampling weight.</summary>
public sealed record LoaderSource(string Path, double Proportion = 1.0)
{
    /// <summary>Explicit files to read instead of resolving <see cref="Path"/> (which then only names the source in
    /// messages) — e.g. a subset of a dataset's shards.</summary>
    public IReadOnlyList<string>? Files { get; init; }
}

/// <summary>Options of <see cref="StreamingLoader"/>. Only <see cref="Seed"/>, <see cref="ShuffleBuffer"/>, <see cref="Shuffle"/>,
/// <see cref="Rank"/> and <see cref="WorldSize"/> change the order of episodes; threads and prefetch never do.</summary>
public sealed record LoaderOptions
{
    public long Seed { get; init; } = 1;

    /// <summary>Shuffle row groups per epoch and episodes inside a shuffle block.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Episodes gathered (from consecutive row groups of the epoch plan) and shuffled together; 0 = no episode shuffle.</summary>
    public int ShuffleBuffer { get; init; } = 256;

    /// <summary>Decoded row groups queued ahead of the consumer. Deeper queues keep more decoded objects alive, which
    /// the GC then promotes; on 2 cores 2 measured faster than 4 or 8.</summary>
    public int Prefetch { get; init; } = 2;

    /// <summary>Row groups decoded concurrently.</summary>
    public int DecodeThreads { get; init; } = 2;

    public BadFilePolicy OnBadFile { get; init; } = BadFilePolicy.Error;

    /// <summary>Columns to decode (null = all). episode_id is always read; the others stay at their defaults
    /// (0, false, "", empty obs). Never changes the order.</summary>
    public IReadOnlySet<string>? Columns { get; init; }

    public int Rank { get; init; }
    public int WorldSize { get; init; } = 1;

    /// <summary>Where warnings go (policy warn); stderr by default.</summary>
    public TextWriter? Warnings { get; init; }

    internal void Check()
    {
        if (WorldSize < 1) throw new UserError($"world_size must be >= 1, got {WorldSize}");
        if (Rank < 0 || Rank >= WorldSize) throw new UserError($"rank must be in [0, {WorldSize}), got {Rank}");
        if (ShuffleBuffer < 0) throw new UserError($"shuffle_buffer must be >= 0, got {ShuffleBuffer}");
        if (Prefetch < 1) throw new UserError($"prefetch must be >= 1, got {Prefetch}");
        if (DecodeThreads < 1) throw new UserError($"decode_threads must be >= 1, got {DecodeThreads}");
        var known = DemoSchema.Schema.GetDataFields().Select(f => f.Name).ToHashSet();
        if (Columns?.FirstOrDefault(c => !known.Contains(c)) is { } unknown)
            throw new UserError($"unknown column '{unknown}' (columns: {string.Join(", ", known)})");
    }
}
