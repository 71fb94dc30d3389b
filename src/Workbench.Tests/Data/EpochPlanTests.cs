using Workbench.Data;

namespace Workbench.Tests.Data;

/// <summary>The loader's order, on its own: row-group permutation, rank slicing and shuffle blocks from counts and seeds.</summary>
public sealed class EpochPlanTests
{
    // 23 row groups of 1..9 episodes (157 in all): uneven on purpose, so rank ranges cut row groups.
    private static readonly int[] Units = Enumerable.Range(0, 23).Select(i => 1 + (i * 7 + 3) % 9).ToArray();

    private static IEnumerable<(int Unit, int Episode)> Episodes(EpochPlan plan) =>
        plan.Slices.SelectMany(s => Enumerable.Range(s.From, s.Count).Select(e => (s.Unit, e)));

    [Fact]
    public void One_rank_reads_every_episode_of_every_row_group_exactly_once_per_epoch()
    {
        var planner = new EpochPlanner(Units, new PlanOptions(Seed: 4, Source: 0));
        Assert.Equal(Units.Sum(), planner.EpisodesPerRank);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var episodes = Episodes(planner.Plan(epoch)).ToList();
            Assert.Equal(Units.Sum(), episodes.Count);
            Assert.Equal(episodes.Count, episodes.Distinct().Count());
            Assert.All(planner.Plan(epoch).Slices, s => Assert.True(s.From == 0 && s.To == Units[s.Unit], "with one rank no row group is cut"));
        }
    }

    [Fact]
    public void The_row_group_order_is_a_function_of_seed_source_and_epoch()
    {
        List<int> Order(long seed, int source, int epoch) =>
            new EpochPlanner(Units, new PlanOptions(seed, source)).Plan(epoch).Slices.Select(s => s.Unit).ToList();
        Assert.Equal(Order(4, 0, 1), Order(4, 0, 1));
        Assert.NotEqual(Order(4, 0, 0), Order(4, 0, 1));
        Assert.NotEqual(Order(4, 0, 0), Order(5, 0, 0));
        Assert.NotEqual(Order(4, 0, 0), Order(4, 1, 0));
        Assert.Equal(Enumerable.Range(0, Units.Length), new EpochPlanner(Units, new PlanOptions(4, 0, Shuffle: false)).Plan(3).Slices.Select(s => s.Unit));
    }

    [Fact]
    public void The_derivation_is_pinned_so_saved_loader_states_keep_their_meaning()
    {
        // A checkpoint stores (epoch, block, offset), not the order: if this derivation changed, resumed runs would read
        // other episodes than the uninterrupted run. Update these numbers only together with LoaderResume's fingerprint version.
        var planner = new EpochPlanner([3, 5, 2, 4, 6], new PlanOptions(Seed: 7, Source: 0, ShuffleBuffer: 6));
        var plan = planner.Plan(0);
        Assert.Equal("1:0-5 2:0-2 4:0-6 0:0-3 3:0-4", string.Join(' ', plan.Slices.Select(s => $"{s.Unit}:{s.From}-{s.To}")));
        Assert.Equal("0-2 2-3 3-5", string.Join(' ', plan.Blocks.Select(b => $"{b.FirstSlice}-{b.EndSlice}")));
        Assert.Equal("1 3 0 7 2 5 8 6 4", string.Join(' ', planner.BlockOrder(0, 1, 9)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Ranks_take_equal_disjoint_contiguous_ranges_of_the_same_permuted_sequence(int worldSize)
    {
        long perRank = Units.Sum() / worldSize;
        var whole = Episodes(new EpochPlanner(Units, new PlanOptions(9, 0)).Plan(2)).ToList();
        var shards = Enumerable.Range(0, worldSize)
            .Select(r => Episodes(new EpochPlanner(Units, new PlanOptions(9, 0, r, worldSize)).Plan(2)).ToList()).ToList();
        for (int r = 0; r < worldSize; r++)
        {
            Assert.Equal(perRank, shards[r].Count);
            Assert.Equal(whole.Skip((int)(r * perRank)).Take((int)perRank), shards[r]);
        }
        var union = shards.SelectMany(s => s).ToList();
        Assert.Equal(union.Count, union.Distinct().Count());
        Assert.Equal(Units.Sum() % worldSize, whole.Count - union.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(25)]
    [InlineData(1000)]
    public void Blocks_are_the_shortest_runs_of_consecutive_slices_holding_the_shuffle_buffer(int buffer)
    {
        var plan = new EpochPlanner(Units, new PlanOptions(2, 0, 1, 2, ShuffleBuffer: buffer)).Plan(0);
        Assert.Equal(0, plan.Blocks[0].FirstSlice);
        Assert.Equal(plan.Slices.Count, plan.Blocks[^1].EndSlice);
        for (int b = 0; b < plan.Blocks.Count; b++)
        {
            if (b > 0) Assert.Equal(plan.Blocks[b - 1].EndSlice, plan.Blocks[b].FirstSlice);
            if (b == plan.Blocks.Count - 1) break; // the last block takes what is left
            Assert.True(plan.EpisodesIn(b) >= buffer);
            Assert.True(plan.EpisodesIn(b) - plan.Slices[plan.Blocks[b].EndSlice - 1].Count < buffer, $"block {b} is longer than it needs to be");
        }
    }

    [Fact]
    public void Block_orders_are_permutations_drawn_per_block_and_identity_without_shuffling()
    {
        var planner = new EpochPlanner(Units, new PlanOptions(3, 0, ShuffleBuffer: 20));
        var order = planner.BlockOrder(1, 2, 40);
        Assert.Equal(Enumerable.Range(0, 40), order.Order());
        Assert.Equal(order, planner.BlockOrder(1, 2, 40));
        Assert.NotEqual(order, planner.BlockOrder(1, 3, 40));
        Assert.NotEqual(order, planner.BlockOrder(2, 2, 40));
        Assert.Equal(planner.ShuffleRng(1, 2), planner.ShuffleRng(1, 2));
        Assert.NotEqual(planner.ShuffleRng(1, 2), planner.ShuffleRng(1, 3));
        Assert.Equal(Enumerable.Range(0, 40), new EpochPlanner(Units, new PlanOptions(3, 0, Shuffle: false)).BlockOrder(1, 2, 40));
        Assert.Equal(Enumerable.Range(0, 40), new EpochPlanner(Units, new PlanOptions(3, 0, ShuffleBuffer: 0)).BlockOrder(1, 2, 40));
    }

    [Fact]
    public void Bad_layouts_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpochPlanner(Units, new PlanOptions(1, 0, Rank: 2, WorldSize: 2)));
        Assert.Throws<ArgumentException>(() => new EpochPlanner([3, 0, 2], new PlanOptions(1, 0)));
    }
}
