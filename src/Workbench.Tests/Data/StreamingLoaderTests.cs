using System.Text.Json;
using Workbench.Data;
using Workbench.Runtime;

namespace Workbench.Tests.Data;

public sealed class StreamingLoaderTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    private readonly string _a, _b;

    public StreamingLoaderTests()
    {
        _a = _tmp["a"];
        _b = _tmp["b"];
        SyntheticDemos.Write(_a, SyntheticDemos.Episodes(157, 11), rowsPerGroup: 40, shardRows: 300);
        SyntheticDemos.Write(_b, SyntheticDemos.Episodes(61, 12, firstId: 1_000_000), rowsPerGroup: 40, shardRows: 300);
    }

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Order_is_identical_whatever_the_number_of_decode_threads_and_prefetch_depth()
    {
        List<long> Run(int threads, int prefetch)
        {
            using var loader = StreamingLoader.Open([new LoaderSource(_a, 3), new LoaderSource(_b, 1)],
                new LoaderOptions { Seed = 5, DecodeThreads = threads, Prefetch = prefetch, ShuffleBuffer = 30 });
            return SyntheticDemos.Take(loader, 500); // several epochs of b
        }
        var reference = Run(1, 1);
        Assert.Equal(reference, Run(2, 3));
        Assert.Equal(reference, Run(4, 16));
    }

    [Fact]
    public void Each_epoch_delivers_every_episode_once_in_a_new_order()
    {
        using var loader = StreamingLoader.Open(_a, new LoaderOptions { Seed = 9, ShuffleBuffer = 20 });
        var first = SyntheticDemos.Take(loader, 157);
        var second = SyntheticDemos.Take(loader, 157);
        Assert.Equal(Enumerable.Range(0, 157).Select(i => (long)i), first.Order());
        Assert.Equal(Enumerable.Range(0, 157).Select(i => (long)i), second.Order());
        Assert.NotEqual(first, second);
        Assert.Equal(2, loader.State.Epoch); // the next episode opens epoch 2
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Resuming_from_a_saved_state_at_random_points_yields_exactly_the_remaining_sequence(ulong trial)
    {
        var sources = new[] { new LoaderSource(_a, 2), new LoaderSource(Path.Combine(_b, "*.parquet"), 1) };
        var options = new LoaderOptions { Seed = 21, ShuffleBuffer = 25, DecodeThreads = 2 };
        const int total = 600;
        List<long> reference;
        using (var full = StreamingLoader.Open(sources, options)) reference = SyntheticDemos.Take(full, total);

        var rng = new Rng(trial);
        for (int attempt = 0; attempt < 3; attempt++)
        {
            int stopAt = rng.NextInt(total);
            string json;
            List<long> head;
            using (var first = StreamingLoader.Open(sources, options with { DecodeThreads = 1 + attempt }))
            {
                head = SyntheticDemos.Take(first, stopAt);
                json = JsonSerializer.Serialize(first.State);
            }
            Assert.True(json.Length < 1000, $"state is {json.Length} characters");
            var state = JsonSerializer.Deserialize<LoaderState>(json)!;
            using var resumed = StreamingLoader.Open(sources, options, state);
            var tail = SyntheticDemos.Take(resumed, total - stopAt);
            Assert.Equal(reference, head.Concat(tail).ToList());
        }
    }

    [Fact]
    public void Resuming_against_different_files_is_refused()
    {
        LoaderState state;
        using (var loader = StreamingLoader.Open(_a)) { loader.Next(); state = loader.State; }
        var error = Assert.Throws<UserError>(() => StreamingLoader.Open(_b, resume: state));
        Assert.Contains("cannot resume", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Shards_are_disjoint_equal_in_size_and_together_cover_the_epoch(int worldSize)
    {
        var shards = new List<List<long>>();
        for (int rank = 0; rank < worldSize; rank++)
        {
            using var loader = StreamingLoader.Open(_a, new LoaderOptions { Seed = 3, Rank = rank, WorldSize = worldSize, ShuffleBuffer = 16 });
            shards.Add(SyntheticDemos.Take(loader, loader.EpisodesPerEpoch()));
            Assert.Equal(157 / worldSize, loader.EpisodesPerEpoch());
        }
        Assert.All(shards, s => Assert.Equal(157 / worldSize, s.Count));
        var union = shards.SelectMany(s => s).ToList();
        Assert.Equal(union.Count, union.Distinct().Count()); // disjoint
        Assert.Equal(157 % worldSize, 157 - union.Count);    // only the remainder (< world size) is left out
        Assert.All(union, id => Assert.InRange(id, 0, 156));
    }

    [Fact]
    public void Mixture_proportions_are_respected_within_tolerance()
    {
        using var loader = StreamingLoader.Open([new LoaderSource(_a, 0.75), new LoaderSource(_b, 0.25)], new LoaderOptions { Seed = 8 });
        var ids = SyntheticDemos.Take(loader, 4000);
        double fromB = ids.Count(id => id >= 1_000_000) / 4000.0;
        Assert.InRange(fromB, 0.25 - 0.025, 0.25 + 0.025); // ~3.6 standard deviations
    }

    [Fact]
    public void Stats_count_rows_bytes_and_waiting()
    {
        using var loader = StreamingLoader.Open(_a, new LoaderOptions { Shuffle = false });
        SyntheticDemos.Take(loader, 157);
        var stats = loader.Stats;
        long rows = loader.Files[0].Sum(f => f.Rows);
        Assert.True(stats.RowsDecoded >= rows, $"{stats.RowsDecoded} < {rows}");
        Assert.True(stats.BytesRead > 0 && stats.ObsBytesDecoded >= rows * 147);
        Assert.True(stats.RowsPerSecond > 0 && stats.MBPerSecond > 0);
        Assert.Equal(157, stats.EpisodesDelivered);
        Assert.True(stats.ConsumerWait <= stats.Elapsed);
    }
}
