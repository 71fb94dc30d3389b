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

    [Theory]
    [InlineData(0)]   // before the first episode
    [InlineData(52)]  // exactly at the end of rank 1's first epoch (157 / 3 = 52 episodes)
    [InlineData(131)] // mid-block of the third epoch
    public void Resuming_a_sharded_rank_at_block_and_epoch_boundaries_yields_the_remaining_sequence(int stopAt)
    {
        var options = new LoaderOptions { Seed = 13, Rank = 1, WorldSize = 3, ShuffleBuffer = 10, DecodeThreads = 2 };
        List<long> reference;
        using (var full = StreamingLoader.Open(_a, options)) reference = SyntheticDemos.Take(full, 200);
        LoaderState state;
        using (var first = StreamingLoader.Open(_a, options))
        {
            Assert.Equal(reference.Take(stopAt), SyntheticDemos.Take(first, stopAt));
            state = JsonSerializer.Deserialize<LoaderState>(JsonSerializer.Serialize(first.State))!;
        }
        Assert.Equal(stopAt / 52, state.Epoch);
        using var resumed = StreamingLoader.Open(_a, options, state);
        Assert.Equal(reference.Skip(stopAt), SyntheticDemos.Take(resumed, 200 - stopAt));
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
    public void A_column_projection_keeps_the_order_and_decodes_only_what_was_asked()
    {
        var options = new LoaderOptions { Seed = 2, ShuffleBuffer = 20 };
        using var all = StreamingLoader.Open(_a, options);
        using var obsOnly = StreamingLoader.Open(_a, options with { Columns = new HashSet<string> { "obs" } });
        for (int i = 0; i < 200; i++)
        {
            var (full, projected) = (all.Next(), obsOnly.Next());
            Assert.Equal(full.EpisodeId, projected.EpisodeId);
            Assert.Equal(full.Steps.Select(s => Convert.ToHexString(s.Obs.Span)), projected.Steps.Select(s => Convert.ToHexString(s.Obs.Span)));
            Assert.Equal("", projected.Mission);
            Assert.All(projected.Steps, s => Assert.Equal(0, s.Action));
        }
        Assert.Throws<UserError>(() => StreamingLoader.Open(_a, options with { Columns = new HashSet<string> { "pixels" } }));
    }

    [Fact]
    public void The_experiment_data_section_binds_sources_and_loader_options()
    {
        var experiment = Workbench.Config.ConfigLoader.FromYaml<Workbench.Training.ExperimentConfig>($"""
            name: t
            data:
              sources:
                - path: {_a}
                  proportion: 3
                - path: {Path.Combine(_b, "part-*.parquet")}
              shuffle_buffer: 8
              prefetch: 2
              decode_threads: 1
              on_bad_file: skip
            """);
        Assert.Equal(BadFilePolicy.Skip, experiment.Data.OnBadFile);
        using var loader = StreamingLoader.Open(experiment.Data, seed: 4, rank: 1, worldSize: 2);
        Assert.Equal(157 / 2, loader.EpisodesPerEpoch(0));
        Assert.Equal(61 / 2, loader.EpisodesPerEpoch(1));
        var ids = SyntheticDemos.Take(loader, 400);
        Assert.InRange(ids.Count(id => id >= 1_000_000) / 400.0, 0.15, 0.35);
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
