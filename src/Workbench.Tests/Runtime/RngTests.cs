using Workbench.Runtime;

namespace Workbench.Tests.Runtime;

public class RngTests
{
    [Fact]
    public void Same_seed_gives_same_sequence_and_restored_state_continues_it()
    {
        var a = new Rng(42);
        var b = new Rng(42);
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextULong(), b.NextULong());

        var saved = a.State;
        var expected = Enumerable.Range(0, 50).Select(_ => a.NextInt(1000)).ToArray();
        var restored = Rng.FromState(saved);
        Assert.Equal(expected, Enumerable.Range(0, 50).Select(_ => restored.NextInt(1000)).ToArray());
    }

    [Fact]
    public void NextInt_is_uniform_enough_over_small_ranges()
    {
        var rng = new Rng(7);
        var counts = new int[6];
        for (int i = 0; i < 60_000; i++) counts[rng.NextInt(6)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    [Fact]
    public void Derived_streams_differ_by_key()
    {
        Assert.NotEqual(Rng.Derive(1, 0).NextULong(), Rng.Derive(1, 1).NextULong());
        Assert.Equal(Rng.Derive(1, 5).NextULong(), Rng.Derive(1, 5).NextULong());
    }
}
