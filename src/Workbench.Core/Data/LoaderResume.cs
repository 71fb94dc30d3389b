using System.Security.Cryptography;
using System.Text;

namespace Workbench.Data;

/// <summary>
/// What makes a saved <see cref="LoaderState"/> valid for a loader: the fingerprint of the files and the order-changing
/// options, and the checks a resume makes before a single episode is read. A state that does not fit fails loudly;
/// it is never silently reinterpreted.
/// </summary>
internal static class LoaderResume
{
    /// <summary>16 hex digits over the order options and every file's name and row-group counts (rows/episodes).</summary>
    public static string Fingerprint(IReadOnlyList<SourceIndex> indexes, LoaderOptions options)
    {
        var text = new StringBuilder($"v1|{options.Seed}|{options.Shuffle}|{options.ShuffleBuffer}|{options.WorldSize}");
        foreach (var index in indexes)
        {
            text.Append($"|{index.Source.Proportion}");
            foreach (var f in index.Files)
                text.Append($"|{Path.GetFileName(f.Path)}:{string.Join(',', f.RowGroups.Select(g => $"{g.Rows}/{g.Episodes}"))}");
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <exception cref="UserError">the state was saved by a loader with another seed, rank layout, sources, files or order options.</exception>
    public static void CheckState(LoaderState state, LoaderOptions options, int sourceCount, string fingerprint)
    {
        string why =
            state.Seed != options.Seed ? $"seed {state.Seed} ≠ {options.Seed}" :
            state.Rank != options.Rank || state.WorldSize != options.WorldSize ? $"rank {state.Rank}/{state.WorldSize} ≠ {options.Rank}/{options.WorldSize}" :
            state.Sources.Count != sourceCount ? $"{state.Sources.Count} sources ≠ {sourceCount}" :
            state.Fingerprint != fingerprint ? "the files or the order options (shuffle, shuffle_buffer) changed" : "";
        if (why.Length > 0) throw new UserError($"cannot resume the data loader from the saved state: {why}");
    }

    /// <exception cref="UserError">the position names a block the plan does not have, or its shuffle generator is not the one this planner derives.</exception>
    public static void CheckPosition(SourcePosition position, EpochPlanner planner, EpochPlan plan)
    {
        if (position.Block >= plan.Blocks.Count)
            throw new UserError($"cannot resume the data loader: block {position.Block} does not exist in epoch {position.Epoch}");
        if (!position.ShuffleRng.Equals(planner.ShuffleRng(position.Epoch, position.Block)))
            throw new UserError("cannot resume the data loader: the saved shuffle generator does not match this version of the loader");
    }

    /// <summary>The position of the next episode: (epoch, block, offset), the block's first row group, its shuffle generator.</summary>
    public static SourcePosition Position(SourceIndex index, EpochPlan plan, int block, int offset)
    {
        var first = index.Units[plan.Slices[plan.Blocks[block].FirstSlice].Unit];
        return new SourcePosition(plan.Epoch, block, offset, Path.GetFileName(index.PathOf(first)), first.RowGroup, index.Planner.ShuffleRng(plan.Epoch, block));
    }
}
