using Workbench.Data;
using Workbench.Runtime;

namespace Workbench.Tests.Data;

/// <summary>Small synthetic demonstration datasets written with the real writer (no environments needed).</summary>
internal static class SyntheticDemos
{
    public static List<DemoEpisode> Episodes(int count, ulong seed, long firstId = 0, int minSteps = 1, int maxSteps = 20, int obsBytes = 147)
    {
        var rng = new Rng(seed);
        var result = new List<DemoEpisode>(count);
        for (int e = 0; e < count; e++)
        {
            int length = rng.NextInt(minSteps, maxSteps + 1);
            var steps = new DemoStep[length];
            for (int s = 0; s < length; s++)
            {
                var obs = new byte[obsBytes];
                for (int i = 0; i < obs.Length; i++) obs[i] = (byte)rng.NextInt(11);
                steps[s] = new DemoStep(s, rng.NextInt(4), obs, rng.NextInt(7), s == length - 1 ? 0.5f : 0f, s == length - 1);
            }
            result.Add(new DemoEpisode(firstId + e, "Synthetic", 1000 + firstId + e, $"go to the ball {e % 7}", steps));
        }
        return result;
    }

    /// <summary>Writes episodes as shards; observations of another length than symbolic 147 bytes are declared as
    /// "synthetic" of shape 1×n×1, so readers hold every value to that length.</summary>
    public static IReadOnlyList<string> Write(string folder, IEnumerable<DemoEpisode> episodes, int rowsPerGroup = 64, long shardRows = 400)
    {
        var list = episodes.ToList();
        int obsBytes = list.Count > 0 ? list[0].Steps[0].Obs.Length : 147;
        using var writer = new DemonstrationWriter(folder, new DemoWriterOptions
        {
            RowsPerGroup = rowsPerGroup, ShardRows = shardRows,
            ObsKind = obsBytes == 147 ? "symbolic" : "synthetic", ObsShape = obsBytes == 147 ? null : $"1x{obsBytes}x1",
        });
        foreach (var e in list) writer.Add(e);
        return writer.Complete();
    }

    public static List<long> Take(IEpisodeStream stream, long count)
    {
        var ids = new List<long>();
        for (long i = 0; i < count; i++) ids.Add(stream.Next().EpisodeId);
        return ids;
    }
}

/// <summary>A temporary folder deleted at the end of a test.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("wb-data-").FullName;
    public string this[string name] => System.IO.Path.Combine(Path, name);
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
