using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;

namespace Workbench.Data;

/// <summary>A problem <see cref="DataInspector.Verify"/> found.</summary>
public sealed record VerifyProblem(string File, string Message)
{
    public override string ToString() => Message.StartsWith(File, StringComparison.Ordinal) ? Message : $"{File}: {Message}";
}

/// <summary>What <c>workbench data inspect</c> and <c>workbench data verify</c> do, as library calls.</summary>
public static class DataInspector
{
    /// <summary>Schema, counts, row groups and sizes of every file, then head and describe of a sample as a DataFrame.</summary>
    public static string Inspect(string pattern, int sampleRows = 50_000, int headRows = 5)
    {
        var files = DataPaths.Resolve(pattern);
        var s = new StringBuilder();
        var infos = new List<DemoFileInfo>();
        foreach (var path in files)
        {
            var info = DemoFile.Open(path);
            infos.Add(info);
            s.AppendLine(CultureInfo.InvariantCulture,
                $"{path}: {info.Rows:N0} rows, {info.Episodes:N0} episodes, {info.RowGroups.Count} row groups, {info.Bytes / 1e6:F2} MB, obs {info.ObsKind} {info.ObsShape ?? "(shape unknown)"}{(info.Metadata.TryGetValue(DemoSchema.TileSizeKey, out var tile) ? $" (tile {tile} px)" : "")}");
            var groups = info.RowGroups;
            if (info.Rows == 0)
            {
                s.AppendLine(CultureInfo.InvariantCulture, $"  empty: {groups.Count} row group(s), 0 rows");
                continue;
            }
            s.AppendLine(CultureInfo.InvariantCulture,
                $"  row groups: rows min {groups.Min(g => g.Rows):N0} / max {groups.Max(g => g.Rows):N0}, episodes min {groups.Min(g => g.Episodes)} / max {groups.Max(g => g.Episodes)}, " +
                $"compressed {groups.Sum(g => g.CompressedBytes) / 1e6:F2} MB");
        }
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"total: {files.Count} file(s), {infos.Sum(i => i.Rows):N0} rows, {infos.Sum(i => i.Episodes):N0} episodes, " +
                                                   $"{infos.Sum(i => i.RowGroups.Count)} row groups, {infos.Sum(i => i.Bytes) / 1e6:F2} MB");
        s.AppendLine();
        s.AppendLine("schema:");
        foreach (var f in DemoSchema.Schema.GetDataFields()) s.AppendLine($"  {f.Name}: {DemoSchema.TypeName(f.ClrType)}");

        var frame = Sample(files, sampleRows, out long sampled);
        s.AppendLine();
        if (sampled == 0)
        {
            s.AppendLine("no rows to show");
            return s.ToString();
        }
        s.AppendLine(CultureInfo.InvariantCulture, $"head ({headRows} rows; obs shown as its length in bytes):");
        s.AppendLine(Format(frame.Head(headRows)));
        s.AppendLine(CultureInfo.InvariantCulture, $"describe (first {sampled:N0} rows{(sampled < infos.Sum(i => i.Rows) ? ", a sample" : ", all rows")}):");
        s.AppendLine(Format(frame.Description()));
        s.AppendLine("levels:");
        foreach (var g in frame.Rows.GroupBy(r => (string)r[1]!).OrderBy(g => g.Key, StringComparer.Ordinal))
            s.AppendLine(CultureInfo.InvariantCulture, $"  {g.Key}: {g.Count():N0} rows, {g.Select(r => (long)r[0]!).Distinct().Count():N0} episodes");
        return s.ToString();
    }

    /// <summary>A DataFrame as an aligned text table (DataFrame.ToString pads every column to 10 characters).</summary>
    public static string Format(DataFrame frame)
    {
        var columns = frame.Columns.ToList();
        var cells = columns.Select(c => new List<string> { c.Name }).ToList();
        for (long r = 0; r < frame.Rows.Count; r++)
            for (int c = 0; c < columns.Count; c++)
                cells[c].Add(columns[c][r] switch
                {
                    null => "",
                    float f => f.ToString("G6", CultureInfo.InvariantCulture),
                    double d => d.ToString("G6", CultureInfo.InvariantCulture),
                    var v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
                });
        var widths = cells.Select(col => col.Max(x => x.Length)).ToArray();
        var s = new StringBuilder();
        for (int r = 0; r < cells[0].Count; r++)
        {
            s.Append("  ");
            for (int c = 0; c < columns.Count; c++) s.Append(cells[c][r].PadRight(widths[c] + 2));
            s.AppendLine();
        }
        return s.ToString();
    }

    /// <summary>The first <paramref name="maxRows"/> rows (whole row groups) as a DataFrame; obs becomes its byte length.</summary>
    public static DataFrame Sample(IReadOnlyList<string> files, int maxRows, out long rows)
    {
        var episodeId = new Int64DataFrameColumn("episode_id");
        var level = new StringDataFrameColumn("level");
        var seed = new Int64DataFrameColumn("seed");
        var mission = new StringDataFrameColumn("mission");
        var step = new Int32DataFrameColumn("step");
        var direction = new Int32DataFrameColumn("direction");
        var obs = new Int32DataFrameColumn("obs_bytes");
        var action = new Int32DataFrameColumn("action");
        var reward = new SingleDataFrameColumn("reward");
        var done = new BooleanDataFrameColumn("done");
        rows = 0;
        foreach (var path in files)
        {
            var reader = DemoFile.OpenReader(path);
            try
            {
                for (int g = 0; g < reader.RowGroupCount && rows < maxRows; g++)
                {
                    foreach (var e in DemoFile.ReadRowGroup(reader, path, g).Episodes)
                    {
                        foreach (var st in e.Steps)
                        {
                            episodeId.Append(e.EpisodeId); level.Append(e.Level); seed.Append(e.Seed); mission.Append(e.Mission);
                            step.Append(st.Step); direction.Append(st.Direction); obs.Append(st.Obs.Length); action.Append(st.Action);
                            reward.Append(st.Reward); done.Append(st.Done);
                            rows++;
                        }
                    }
                }
            }
            finally { DemoFile.Close(reader); }
            if (rows >= maxRows) break;
        }
        return new DataFrame(episodeId, level, seed, mission, step, direction, obs, action, reward, done);
    }

    /// <summary>Reads every page of every file; returns the problems (empty = all good).</summary>
    public static IReadOnlyList<VerifyProblem> Verify(string pattern, TextWriter? log = null)
    {
        var problems = new List<VerifyProblem>();
        foreach (var path in DataPaths.Resolve(pattern))
        {
            int before = problems.Count;
            try
            {
                var info = DemoFile.Open(path);
                var reader = DemoFile.OpenReader(path);
                try
                {
                    long? lastEpisode = null;
                    for (int g = 0; g < reader.RowGroupCount; g++)
                    {
                        try
                        {
                            var decoded = DemoFile.ReadRowGroup(reader, path, g);
                            if (decoded.Episodes.Length != info.RowGroups[g].Episodes)
                                problems.Add(new VerifyProblem(path, $"row group {g}: {decoded.Episodes.Length} episodes, the file metadata says {info.RowGroups[g].Episodes}"));
                            var ids = decoded.Episodes.Select(e => e.EpisodeId).ToList();
                            if (ids.Count != ids.Distinct().Count())
                                problems.Add(new VerifyProblem(path, $"row group {g}: the rows of an episode are not contiguous"));
                            if (ids.Count > 0 && lastEpisode == ids[0])
                                problems.Add(new VerifyProblem(path, $"row group {g}: episode {ids[0]} is split across row groups {g - 1} and {g}"));
                            // Obs lengths against the file's shape are checked by DemoFile itself (Open and ReadRowGroup).
                            foreach (var e in decoded.Episodes)
                            {
                                for (int i = 0; i < e.Steps.Length; i++)
                                {
                                    if (e.Steps[i].Step != i)
                                    { problems.Add(new VerifyProblem(path, $"row group {g}, episode {e.EpisodeId}: step {e.Steps[i].Step} at position {i}")); break; }
                                }
                                if (!e.Steps[^1].Done) problems.Add(new VerifyProblem(path, $"row group {g}, episode {e.EpisodeId}: the last step is not done"));
                            }
                            lastEpisode = ids.Count > 0 ? ids[^1] : lastEpisode;
                        }
                        catch (BadDataFileException e)
                        {
                            problems.Add(new VerifyProblem(path, e.Message));
                        }
                    }
                }
                finally { DemoFile.Close(reader); }
            }
            catch (BadDataFileException e)
            {
                problems.Add(new VerifyProblem(path, e.Message));
            }
            log?.WriteLine($"{path}: {(problems.Count == before ? "ok" : $"{problems.Count - before} problem(s)")}");
        }
        return problems;
    }
}
