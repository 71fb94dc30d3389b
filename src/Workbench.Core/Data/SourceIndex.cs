namespace Workbench.Data;

/// <summary>A row group of a source as the loader reads it: file number, row group in that file, and its footer counts.</summary>
internal sealed record RowGroupRef(int File, int RowGroup, int Episodes, long Rows, long CompressedBytes);

/// <summary>
/// One source of a loader, resolved: its files (bad ones left out under <see cref="BadFilePolicy.Warn"/> /
/// <see cref="BadFilePolicy.Skip"/>), its row groups holding episodes, and the epoch planner over them.
/// </summary>
internal sealed class SourceIndex
{
    public required int Number { get; init; }
    public required LoaderSource Source { get; init; }
    public required List<DemoFileInfo> Files { get; init; }
    public required RowGroupRef[] Units { get; init; }
    public required EpochPlanner Planner { get; init; }

    public long EpisodesPerRank => Planner.EpisodesPerRank;

    public string PathOf(RowGroupRef unit) => Files[unit.File].Path;

    public static SourceIndex Build(int number, LoaderSource source, LoaderOptions options, LoaderStats stats)
    {
        var files = new List<DemoFileInfo>();
        var garbage = new GarbageBudget(); // each open leaves ~0.2 MB of garbage: bounded, not one file's worth per file
        foreach (var path in source.Files ?? DataPaths.Resolve(source.Path))
        {
            garbage.Spent();
            try
            {
                files.Add(DemoFile.Open(path));
            }
            catch (BadDataFileException e) when (options.OnBadFile != BadFilePolicy.Error)
            {
                stats.SkippedFile(e.Message, 0); // a file that cannot be opened has no trustworthy row count
                if (options.OnBadFile == BadFilePolicy.Warn) (options.Warnings ?? Console.Error).WriteLine($"warning: skipping {e.Message}");
            }
        }
        var units = files.SelectMany((f, fi) => f.RowGroups.Where(g => g.Episodes > 0)
            .Select(g => new RowGroupRef(fi, g.Index, g.Episodes, g.Rows, g.CompressedBytes))).ToArray();
        long total = units.Sum(u => (long)u.Episodes);
        if (total == 0) throw new UserError($"data source '{source.Path}': no readable episodes");
        if (total / options.WorldSize == 0) throw new UserError($"data source '{source.Path}': {total} episodes cannot be shared by {options.WorldSize} ranks");
        var planner = new EpochPlanner(units.Select(u => u.Episodes).ToArray(),
            new PlanOptions(options.Seed, number, options.Rank, options.WorldSize, options.Shuffle, options.ShuffleBuffer));
        return new SourceIndex { Number = number, Source = source, Files = files, Units = units, Planner = planner };
    }
}
