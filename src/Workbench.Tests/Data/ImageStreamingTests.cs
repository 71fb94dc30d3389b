using System.Security.Cryptography;
using System.Text.Json;
using Workbench.Config;
using Workbench.Data;
using Workbench.Envs;
using Workbench.Models;
using static TorchSharp.torch;

namespace Workbench.Tests.Data;

/// <summary>
/// Image datasets through the streaming loader: observations are slices of recycled row-group buffers, so the tests
/// check what that must never change — a delivered image stays as it was while referenced, a resumed stream delivers
/// the same images, and batches stay uint8 until the device.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ImageStreamingTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    public void Dispose() => _tmp.Dispose();

    /// <summary>Bot demonstrations of GoToLocal rendered at 4 px per cell (28×28×3), several shards and row groups.</summary>
    private string BuildRgb(int episodes = 60)
    {
        var recipe = ConfigLoader.FromYaml<DatasetConfig>($"""
            name: rgb-small
            levels: [GoToLocal]
            episodes: {episodes}
            observation: rgb
            tile_size: 4
            rows_per_group: 40
            shard_rows: 120
            output: {_tmp["rgb"]}
            seed: 5
            """);
        DatasetBuilder.Build(recipe, TextWriter.Null);
        return _tmp["rgb"];
    }

    private static string Hash(DemoEpisode e) =>
        Convert.ToHexString(SHA256.HashData(e.Steps.SelectMany(s => s.Obs.ToArray()).Concat(BitConverter.GetBytes(e.EpisodeId)).ToArray()))[..16];

    private static List<string> Take(StreamingLoader loader, int count) => Enumerable.Range(0, count).Select(_ => Hash(loader.Next())).ToList();

    [Fact]
    public void A_stopped_and_resumed_rgb_stream_delivers_the_same_images_in_the_same_order()
    {
        string folder = BuildRgb();
        var options = new LoaderOptions { Seed = 17, ShuffleBuffer = 12, DecodeThreads = 2, Prefetch = 2 };
        const int total = 150; // two and a half epochs
        List<string> reference;
        using (var full = StreamingLoader.Open(folder, options)) reference = Take(full, total);
        Assert.True(reference.Distinct().Count() >= 60, "one epoch of distinct episodes");

        foreach (int stop in new[] { 1, 37, 60, 101 })
        {
            string json;
            List<string> head;
            using (var first = StreamingLoader.Open(folder, options with { DecodeThreads = 1 }))
            {
                head = Take(first, stop);
                json = JsonSerializer.Serialize(first.State);
            }
            using var resumed = StreamingLoader.Open(folder, options, JsonSerializer.Deserialize<LoaderState>(json));
            Assert.Equal(reference, head.Concat(Take(resumed, total - stop)).ToList());
        }
    }

    [Fact]
    public void A_delivered_image_never_changes_while_it_is_referenced_even_as_buffers_are_recycled()
    {
        string folder = BuildRgb();
        using var loader = StreamingLoader.Open(folder, new LoaderOptions { Seed = 3, ShuffleBuffer = 8 });
        var kept = Enumerable.Range(0, 10).Select(_ => loader.Next()).ToList();
        var copies = kept.Select(e => e.Steps.Select(s => s.Obs.ToArray()).ToList()).ToList();
        var (reusedBefore, _, _) = RecycledBuffers.Counts;
        for (int round = 0; round < 6; round++)
        {
            for (int i = 0; i < 60; i++) loader.Next(); // a full epoch of decodes, with the kept episodes still referenced
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.True(RecycledBuffers.Counts.Reused > reusedBefore, $"buffers of dropped episodes are reused: {RecycledBuffers.Counts} (before: {reusedBefore})");
        for (int e = 0; e < kept.Count; e++)
            for (int s = 0; s < kept[e].Steps.Length; s++)
                Assert.True(kept[e].Steps[s].Obs.Span.SequenceEqual(copies[e][s]), $"episode {kept[e].EpisodeId} step {s} changed under its reader");
    }

    [Fact]
    public void A_recycled_buffer_is_handed_out_again_only_after_the_last_reference_to_it_is_gone()
    {
        const int size = 7_777_777; // no other test asks for buffers this large, so the pool's answer is ours
        WeakReference<byte[]> Rent(out ReadOnlyMemory<byte> slice)
        {
            var array = RecycledBuffers.Rent(size);
            slice = array.AsMemory(100, 1000);
            return new WeakReference<byte[]>(array);
        }
        var first = Rent(out var held);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var second = RecycledBuffers.Rent(size);
        Assert.True(first.TryGetTarget(out var a) && !ReferenceEquals(a, second), "a buffer still referenced by a slice was handed out twice");
        Assert.Equal(1000, held.Length);

        held = default; // the last reference goes: the next full collection returns the array to the pool
        a = null;
        GC.KeepAlive(second);
        second = null!;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var (reused, _, _) = RecycledBuffers.Counts;
        var third = RecycledBuffers.Rent(size);
        Assert.True(third.Length >= size);
        Assert.True(RecycledBuffers.Counts.Reused > reused, "the freed buffer was not reused");
    }

    [Fact]
    public void Rgb_batches_from_the_loader_stay_uint8_until_the_model_device()
    {
        string folder = BuildRgb(24);
        using var loader = StreamingLoader.Open(folder, new LoaderOptions { Seed = 1 });
        var episodes = Enumerable.Range(0, 6).Select(_ => loader.Next()).ToList();
        var spec = ObservationSpec.Rgb(4);
        using var scope = NewDisposeScope();
        var (sequence, actions) = EpisodeBatcher.Build(episodes, spec, 8, CPU);
        Assert.Equal(ScalarType.Byte, sequence.Obs.dtype);
        Assert.Equal(new long[] { 6, episodes.Max(e => e.Steps.Length), 28, 28, 3 }, sequence.Obs.shape);
        // The batch holds exactly the stored bytes, step by step (one block copy each, no conversion on the CPU).
        var bytes = sequence.Obs.data<byte>().ToArray();
        int t = (int)sequence.Obs.shape[1], per = spec.BytesPerStep;
        for (int i = 0; i < episodes.Count; i++)
            for (int s = 0; s < episodes[i].Steps.Length; s++)
                Assert.True(bytes.AsSpan((i * t + s) * per, per).SequenceEqual(episodes[i].Steps[s].Obs.Span));
        Assert.Equal(ScalarType.Int64, actions.dtype);
    }
}
