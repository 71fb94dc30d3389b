namespace Workbench.Data;

/// <summary>The peer of the data benchmark: ParquetSharp (Apache Arrow's C++ Parquet reader) reading demonstration files.</summary>
internal static class ParquetSharpReader
{
    /// <summary>Reads every row group of <paramref name="files"/> (all columns, or obs only) into managed arrays; returns rows and obs bytes.</summary>
    public static (long Rows, long ObsBytes) Read(IReadOnlyList<string> files, bool obsOnly)
    {
        long rows = 0, bytes = 0;
        foreach (var file in files)
        {
            using var reader = new ParquetSharp.ParquetFileReader(file);
            var schema = reader.FileMetaData.Schema;
            int columns = reader.FileMetaData.NumColumns;
            for (int g = 0; g < reader.FileMetaData.NumRowGroups; g++)
            {
                using var group = reader.RowGroup(g);
                int n = checked((int)group.MetaData.NumRows);
                for (int c = 0; c < columns; c++)
                {
                    string name = schema.Column(c).Name;
                    if (obsOnly && name != DemoSchema.Obs.Name) continue;
                    using var column = group.Column(c);
                    switch (name)
                    {
                        case "obs":
                            using (var r = column.LogicalReader<byte[]>()) foreach (var v in r.ReadAll(n)) bytes += v.Length;
                            break;
                        case "episode_id" or "seed":
                            using (var r = column.LogicalReader<long>()) r.ReadAll(n);
                            break;
                        case "level" or "mission":
                            using (var r = column.LogicalReader<string>()) r.ReadAll(n);
                            break;
                        case "reward":
                            using (var r = column.LogicalReader<float>()) r.ReadAll(n);
                            break;
                        case "done":
                            using (var r = column.LogicalReader<bool>()) r.ReadAll(n);
                            break;
                        default:
                            using (var r = column.LogicalReader<int>()) r.ReadAll(n);
                            break;
                    }
                }
                rows += n;
            }
        }
        return (rows, bytes);
    }
}
