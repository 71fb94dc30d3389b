using Parquet;
using Parquet.Schema;
using Workbench.Data;

namespace Workbench.Tests.Data;

/// <summary>Every kind of bad file under every policy: error names file (and column), warn/skip count and continue.</summary>
public sealed class BadFileTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    public void Dispose() => _tmp.Dispose();

    public enum Damage { Truncated, BadMagic, SchemaMismatch, CorruptedPage }

    /// <summary>Writes two good shards and damages a third; returns the damaged file and the column expected in the message.</summary>
    private (string Folder, string BadFile, string? Column) Prepare(Damage damage)
    {
        string folder = _tmp["ds"];
        var files = SyntheticDemos.Write(folder, SyntheticDemos.Episodes(90, 4), rowsPerGroup: 40, shardRows: 200);
        Assert.True(files.Count >= 3);
        string bad = files[1];
        string? column = null;
        switch (damage)
        {
            case Damage.Truncated:
                var bytes = File.ReadAllBytes(bad);
                File.WriteAllBytes(bad, bytes[..(bytes.Length / 2)]);
                break;
            case Damage.BadMagic:
                using (var s = new FileStream(bad, FileMode.Open)) s.Write("JUNK"u8);
                break;
            case Damage.SchemaMismatch:
                WriteWithLongStep(bad);
                column = "step";
                break;
            case Damage.CorruptedPage:
                long offset;
                var reader = ParquetReader.CreateAsync(bad).GetAwaiter().GetResult();
                try
                {
                    var obsColumn = reader.Metadata!.RowGroups[0].Columns[6].MetaData!;
                    offset = obsColumn.DataPageOffset;
                }
                finally { DemoFile.Close(reader); }
                using (var s = new FileStream(bad, FileMode.Open))
                {
                    s.Seek(offset, SeekOrigin.Begin);
                    s.Write(Enumerable.Repeat((byte)0xA7, 24).ToArray());
                }
                column = "obs";
                break;
        }
        return (folder, bad, column);
    }

    private static void WriteWithLongStep(string path)
    {
        var fields = DemoSchema.Schema.GetDataFields().Select(f => f.Name == "step" ? new DataField<long>("step", false) : f).ToArray();
        using var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), stream).GetAwaiter().GetResult();
        using (var group = writer.CreateRowGroup())
        {
            foreach (var f in fields)
            {
                Task write = f.Name switch
                {
                    "level" or "mission" => group.WriteAsync(f, new[] { "x" }),
                    "obs" => group.WriteAsync(f, new[] { new byte[147] }),
                    "episode_id" or "seed" or "step" => group.WriteAsync<long>(f, new long[] { 1 }),
                    "reward" => group.WriteAsync<float>(f, new float[] { 0 }),
                    "done" => group.WriteAsync<bool>(f, new[] { true }),
                    _ => group.WriteAsync<int>(f, new int[] { 0 }),
                };
                write.GetAwaiter().GetResult();
            }
        }
        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static List<long> ReadEpoch(string folder, BadFilePolicy policy, TextWriter warnings, out LoaderStats stats)
    {
        using var loader = StreamingLoader.Open(folder, new LoaderOptions { OnBadFile = policy, Warnings = warnings, Shuffle = false, DecodeThreads = 2 });
        var ids = new List<long>();
        while (loader.State.Epoch == 0) ids.Add(loader.Next().EpisodeId);
        stats = loader.Stats;
        return ids;
    }

    [Theory]
    [InlineData(Damage.Truncated)]
    [InlineData(Damage.BadMagic)]
    [InlineData(Damage.SchemaMismatch)]
    [InlineData(Damage.CorruptedPage)]
    public void Policy_error_stops_with_a_message_naming_the_file_and_column(Damage damage)
    {
        var (folder, bad, column) = Prepare(damage);
        var error = Assert.Throws<BadDataFileException>(() => ReadEpoch(folder, BadFilePolicy.Error, TextWriter.Null, out _));
        Assert.Contains(bad, error.Message);
        Assert.Equal(bad, error.File);
        if (column != null)
        {
            Assert.Equal(column, error.Column);
            Assert.Contains($"column '{column}'", error.Message);
        }
        if (damage == Damage.SchemaMismatch) Assert.Contains("expected int32, found int64", error.Message);
        if (damage == Damage.BadMagic) Assert.Contains("magic", error.Message);
        if (damage == Damage.Truncated) Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public async Task A_file_with_optional_string_and_binary_columns_still_loads_through_the_general_reader()
    {
        string folder = _tmp["optional"];
        Directory.CreateDirectory(folder);
        var fields = DemoSchema.Schema.GetDataFields()
            .Select(f => f.Name switch
            {
                "obs" => (DataField)new DataField<byte[]>("obs", true),
                "mission" => new DataField<string>("mission", true),
                _ => f,
            }).ToArray();
        await using (var stream = File.Create(Path.Combine(folder, "part-00000.parquet")))
        {
            var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, new ParquetOptions { CompressionMethod = CompressionMethod.Zstd });
            using (var group = writer.CreateRowGroup())
            {
                foreach (var f in fields)
                {
                    Task write = f.Name switch
                    {
                        "level" or "mission" => group.WriteAsync(f, new[] { "go", "go" }),
                        "obs" => group.WriteAsync(f, new[] { Obs(1, 2, 3), Obs(4, 5) }), // symbolic-sized: a file without metadata reads as symbolic
                        "episode_id" or "seed" => group.WriteAsync<long>(f, new long[] { 7, 7 }),
                        "reward" => group.WriteAsync<float>(f, new float[] { 0, 1 }),
                        "done" => group.WriteAsync<bool>(f, new[] { false, true }),
                        "step" => group.WriteAsync<int>(f, new[] { 0, 1 }),
                        _ => group.WriteAsync<int>(f, new int[] { 0, 0 }),
                    };
                    await write;
                }
            }
            await writer.DisposeAsync();
        }
        using var loader = StreamingLoader.Open(folder);
        var episode = loader.Next();
        Assert.Equal(7, episode.EpisodeId);
        Assert.Equal([Convert.ToHexString(Obs(1, 2, 3)), Convert.ToHexString(Obs(4, 5))], episode.Steps.Select(s => Convert.ToHexString(s.Obs.Span)));
        Assert.Equal("go", episode.Mission);
    }

    private static byte[] Obs(params byte[] head)
    {
        var obs = new byte[147];
        head.CopyTo(obs, 0);
        return obs;
    }

    [Fact]
    public void After_a_read_error_the_loader_keeps_failing_instead_of_skipping_ahead()
    {
        var (folder, bad, _) = Prepare(Damage.CorruptedPage);
        using var loader = StreamingLoader.Open(folder, new LoaderOptions { Shuffle = false, ShuffleBuffer = 1 });
        var first = Assert.Throws<BadDataFileException>(() => { for (int i = 0; i < 1000; i++) loader.Next(); });
        var again = Assert.Throws<BadDataFileException>(() => loader.Next());
        Assert.Equal(first.Message, again.Message);
        Assert.Contains(bad, again.Message);
    }

    [Theory]
    [InlineData(Damage.Truncated, BadFilePolicy.Warn)]
    [InlineData(Damage.BadMagic, BadFilePolicy.Warn)]
    [InlineData(Damage.SchemaMismatch, BadFilePolicy.Warn)]
    [InlineData(Damage.CorruptedPage, BadFilePolicy.Warn)]
    [InlineData(Damage.Truncated, BadFilePolicy.Skip)]
    [InlineData(Damage.BadMagic, BadFilePolicy.Skip)]
    [InlineData(Damage.SchemaMismatch, BadFilePolicy.Skip)]
    [InlineData(Damage.CorruptedPage, BadFilePolicy.Skip)]
    public void Policies_warn_and_skip_leave_the_bad_file_out_count_it_and_keep_the_good_data(Damage damage, BadFilePolicy policy)
    {
        var (folder, bad, _) = Prepare(damage);
        var warnings = new StringWriter();
        var ids = ReadEpoch(folder, policy, warnings, out var stats);

        Assert.True(1 == stats.SkippedFiles + stats.SkippedRowGroups, string.Join("\n", stats.Problems));
        Assert.Contains(stats.Problems, p => p.Contains(bad));
        if (damage == Damage.CorruptedPage) Assert.True(stats.SkippedRows > 0);
        Assert.Equal(policy == BadFilePolicy.Warn, warnings.ToString().Contains(bad));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        // Episodes of the good shards all arrive.
        var good = Directory.GetFiles(folder, "*.parquet").Where(f => f != bad).Order()
            .SelectMany(f => { var info = DemoFile.Open(f); return Enumerable.Range(0, (int)info.Episodes); }).Count();
        Assert.True(ids.Count >= good, $"{ids.Count} episodes delivered, the good files hold {good}");
    }
}
