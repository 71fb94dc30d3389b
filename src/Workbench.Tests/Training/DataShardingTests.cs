using System.Text.Json;
using Workbench.Data;
using Workbench.Training;

namespace Workbench.Tests.Training;

/// <summary>How the ranks of a data-parallel run share the episodes (no MPI needed: the rules are per rank).</summary>
public class DataShardingTests
{
    private static readonly List<DemoEpisode> Episodes = SyntheticEpisodes(23);

    private static List<DemoEpisode> SyntheticEpisodes(int count) =>
        Enumerable.Range(0, count).Select(i => new DemoEpisode(i, "L", i, "go", [new DemoStep(0, 0, new byte[147], 2, 0, true)])).ToList();

    [Theory]
    [InlineData(2, 4)]
    [InlineData(3, 6)]
    public void SplitBatchesGiveTheRanksTogetherExactlyTheSingleProcessBatches(int ranks, int batch)
    {
        var single = new InMemoryEpisodeStream(Episodes, seed: 7);
        var slices = Enumerable.Range(0, ranks).Select(r => new BatchSliceStream(new InMemoryEpisodeStream(Episodes, seed: 7), batch, r, ranks)).ToList();
        for (int step = 0; step < 10; step++) // crosses epochs of 23 episodes
        {
            var expected = Enumerable.Range(0, batch).Select(_ => single.Next().EpisodeId).ToList();
            var together = slices.SelectMany(s => Enumerable.Range(0, batch / ranks).Select(_ => s.Next().EpisodeId)).ToList();
            Assert.Equal(expected, together);
            // The data position is the same on every rank (records holding lists compare by reference: compare as JSON).
            Assert.All(slices, s => Assert.Equal(JsonSerializer.Serialize(single.State), JsonSerializer.Serialize(s.State)));
        }
        Assert.Throws<InvalidOperationException>(() => { slices[0].Next(); return slices[0].State; }); // mid-batch
    }

    [Fact]
    public void RankStreamsAreDisjointEqualShardsOfEveryEpoch()
    {
        const int ranks = 2, perRank = 23 / ranks; // one episode of each epoch left out
        var streams = Enumerable.Range(0, ranks).Select(r => new InMemoryEpisodeStream(Episodes, 7, rank: r, worldSize: ranks)).ToList();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var shards = streams.Select(s => Enumerable.Range(0, perRank).Select(_ => s.Next().EpisodeId).ToList()).ToList();
            Assert.All(shards, shard => Assert.Equal(perRank, shard.Distinct().Count()));
            Assert.Empty(shards[0].Intersect(shards[1]));
        }
        var resumed = new InMemoryEpisodeStream(Episodes, 7, streams[1].State, rank: 1, worldSize: ranks);
        Assert.Equal(streams[1].Next().EpisodeId, resumed.Next().EpisodeId);
        Assert.Contains("rank 1/2 ≠ 0/2", Assert.Throws<UserError>(() => new InMemoryEpisodeStream(Episodes, 7, streams[1].State, rank: 0, worldSize: ranks)).Message);
    }
}
