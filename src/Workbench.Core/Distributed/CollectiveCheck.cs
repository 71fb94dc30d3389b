using TorchSharp;

namespace Workbench.Distributed;

/// <summary>
/// Checks the collectives against values every rank can predict: an all-reduce of float32 tensors and of doubles,
/// a broadcast and an all-gather. Run before a distributed benchmark (and by the binding's tests) so a broken
/// binding or launch stops with a message instead of producing numbers.
/// </summary>
public static class CollectiveCheck
{
    /// <summary>Returns a one-line summary, or throws <see cref="InvalidOperationException"/> naming the first wrong result.</summary>
    public static string Run(ICollective world)
    {
        int w = world.Size, r = world.Rank;
        using (var scope = torch.NewDisposeScope())
        {
            // Rank r contributes (r + 1) · [1, 2, 3] and r + 1 · ones(2, 2): sums are W(W+1)/2 times those.
            var a = torch.tensor(new float[] { r + 1, 2 * (r + 1), 3 * (r + 1) });
            var b = torch.tensor(Enumerable.Repeat((float)(r + 1), 4).ToArray(), [2, 2]);
            world.AllReduceSum([a, b]);
            float expected = w * (w + 1) / 2f;
            Require(a.data<float>().ToArray().SequenceEqual(new[] { expected, 2 * expected, 3 * expected }), "all-reduce of float32 tensors", a);
            Require(b.data<float>().ToArray().All(v => v == expected), "all-reduce of the second tensor", b);
        }
        Span<double> values = [r, 1];
        world.AllReduceSum(values);
        if (values[0] != w * (w - 1) / 2.0 || values[1] != w)
            throw new InvalidOperationException($"all-reduce of doubles gave [{values[0]}, {values[1]}], expected [{w * (w - 1) / 2.0}, {w}]");
        string root = world.BroadcastString(r == 0 ? $"from rank 0 of {w}" : "not sent");
        if (root != $"from rank 0 of {w}") throw new InvalidOperationException($"broadcast gave '{root}'");
        var gathered = world.AllGatherStrings(new string('x', r) + r); // lengths differ per rank
        for (int i = 0; i < w; i++)
        {
            if (gathered[i] != new string('x', i) + i) throw new InvalidOperationException($"all-gather gave '{gathered[i]}' for rank {i}");
        }
        world.Barrier();
        return $"collectives checked on {w} rank(s) ({world.Transport}): all-reduce (float32 tensors, doubles), broadcast, all-gather";
    }

    private static void Require(bool ok, string what, torch.Tensor got)
    {
        if (!ok) throw new InvalidOperationException($"{what} gave [{string.Join(", ", got.data<float>().ToArray())}]");
    }
}
