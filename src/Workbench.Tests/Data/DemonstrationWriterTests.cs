using Workbench.Data;

namespace Workbench.Tests.Data;

public sealed class DemonstrationWriterTests
{
    [Fact]
    public void Row_groups_never_split_an_episode_and_stay_within_the_row_bound()
    {
        using var tmp = new TempFolder();
        var episodes = SyntheticDemos.Episodes(300, 7);
        var files = SyntheticDemos.Write(tmp.Path, episodes, rowsPerGroup: 50, shardRows: 500);
        Assert.True(files.Count > 1, "expected several shards");

        var seen = new HashSet<long>();
        foreach (var file in files)
        {
            var reader = DemoFile.OpenReader(file);
            try
            {
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    var group = DemoFile.ReadRowGroup(reader, file, g);
                    Assert.True(group.Rows <= 50 || group.Episodes.Length == 1, $"{file} group {g}: {group.Rows} rows over several episodes");
                    foreach (var e in group.Episodes)
                    {
                        Assert.True(seen.Add(e.EpisodeId), $"episode {e.EpisodeId} appears in two row groups");
                        Assert.Equal(episodes[(int)e.EpisodeId].Steps.Length, e.Steps.Length);
                    }
                }
            }
            finally { DemoFile.Close(reader); }
        }
        Assert.Equal(300, seen.Count);
    }

    [Fact]
    public void Episodes_read_back_exactly_as_written()
    {
        using var tmp = new TempFolder();
        var episodes = SyntheticDemos.Episodes(40, 3);
        SyntheticDemos.Write(tmp.Path, episodes);
        using var loader = StreamingLoader.Open(tmp.Path, new LoaderOptions { Shuffle = false });
        foreach (var expected in episodes)
        {
            var actual = loader.Next();
            Assert.Equal((expected.EpisodeId, expected.Level, expected.Seed, expected.Mission), (actual.EpisodeId, actual.Level, actual.Seed, actual.Mission));
            Assert.Equal(expected.Steps.Length, actual.Steps.Length);
            for (int s = 0; s < expected.Steps.Length; s++)
            {
                var (a, b) = (expected.Steps[s], actual.Steps[s]);
                Assert.Equal((a.Step, a.Direction, a.Action, a.Reward, a.Done), (b.Step, b.Direction, b.Action, b.Reward, b.Done));
                Assert.Equal(a.Obs.ToArray(), b.Obs.ToArray());
            }
        }
    }

    [Fact]
    public void The_plain_page_fast_path_decodes_exactly_what_Parquet_Net_decodes()
    {
        using var tmp = new TempFolder();
        var files = SyntheticDemos.Write(tmp.Path, SyntheticDemos.Episodes(80, 5), rowsPerGroup: 70, shardRows: 10_000);
        var reader = DemoFile.OpenReader(files[0]);
        try
        {
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                var fast = DemoFile.ReadRowGroup(reader, files[0], g, fastPath: true);
                var general = DemoFile.ReadRowGroup(reader, files[0], g, fastPath: false);
                Assert.Equal(general.Episodes.Length, fast.Episodes.Length);
                for (int e = 0; e < fast.Episodes.Length; e++)
                {
                    var (a, b) = (general.Episodes[e], fast.Episodes[e]);
                    Assert.Equal((a.EpisodeId, a.Level, a.Seed, a.Mission), (b.EpisodeId, b.Level, b.Seed, b.Mission));
                    Assert.Equal(a.Steps.Select(s => (s.Step, s.Direction, s.Action, s.Reward, s.Done)), b.Steps.Select(s => (s.Step, s.Direction, s.Action, s.Reward, s.Done)));
                    Assert.Equal(a.Steps.Select(s => Convert.ToHexString(s.Obs.Span)), b.Steps.Select(s => Convert.ToHexString(s.Obs.Span)));
                }
            }
        }
        finally { DemoFile.Close(reader); }
    }

    [Fact]
    public void Native_and_managed_zstd_decode_the_same_bytes()
    {
        var data = SyntheticDemos.Episodes(30, 9).SelectMany(e => e.Steps).SelectMany(s => s.Obs.ToArray()).ToArray();
        var compressed = new ZstdSharp.Compressor(3).Wrap(data).ToArray();
        var managed = new byte[data.Length];
        var either = new byte[data.Length];
        Assert.Equal(data.Length, Zstd.DecompressManaged(compressed, managed));
        Assert.Equal(data.Length, Zstd.Decompress(compressed, either)); // native libzstd when the system has it
        Assert.Equal(data, managed);
        Assert.Equal(data, either);
        Assert.ThrowsAny<Exception>(() => Zstd.Decompress(compressed.AsSpan(0, compressed.Length / 2), either)); // a cut frame is an error either way
    }

    [Fact]
    public void An_abandoned_writer_leaves_no_partial_shard_behind()
    {
        using var tmp = new TempFolder();
        using (var writer = new DemonstrationWriter(tmp.Path, new DemoWriterOptions { RowsPerGroup = 10, ShardRows = 1000 }))
            foreach (var e in SyntheticDemos.Episodes(20, 1)) writer.Add(e);
        Assert.Empty(Directory.GetFiles(tmp.Path));
    }
}
