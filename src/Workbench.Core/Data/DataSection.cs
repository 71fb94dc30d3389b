using Workbench.Config;

namespace Workbench.Data;

/// <summary>One training data source of an experiment: a Parquet file, folder or glob, or generated demos.</summary>
public sealed class DataSource
{
    [RequiredKey, Doc("Parquet file, folder or glob (relative to the working directory); or generated in-memory demos: bot:<Level>:<episodes> (expert bot on a grid-world level), dagger:<Level>:<episodes>:<name@version>[:<beta>] (episodes a registered model plays, each step labelled with the bot's action: DAgger)")]
    public string Path { get; init; } = "";

    [Doc("Sampling weight in a mixture of sources")]
    [Range(0, double.PositiveInfinity, MinExclusive = true)]
    public double Proportion { get; init; } = 1.0;
}

public sealed class DataSection : IValidatable
{
    [Doc("Training data sources (demonstration datasets)")]
    public List<DataSource> Sources { get; init; } = [];

    [Doc("Dataset config (kind: dataset) built before training unless its folder already holds this exact build")]
    public string? Build { get; init; }

    [Doc("Episodes held out for validation loss (chosen by a hash of the episode id, never trained on); 0 disables")]
    [Range(0, double.PositiveInfinity)]
    public int ValidationEpisodes { get; init; } = 64;

    [Doc("Percent of episodes (by id hash) that belong to the validation split")]
    [Range(0, 50)]
    public int ValidationPercent { get; init; } = 5;

    [Doc("Shuffle row groups per epoch and episodes within a shuffle block (order is set by the experiment seed)")]
    public bool Shuffle { get; init; } = true;

    [Doc("Episodes gathered from consecutive row groups and shuffled together; memory grows with it")]
    [Range(0, 1_000_000)]
    public int ShuffleBuffer { get; init; } = 256;

    [Doc("Decoded row groups queued ahead of training (background prefetch)")]
    [Range(1, 1024)]
    public int Prefetch { get; init; } = 2;

    [Doc("Row groups decoded in parallel; never changes the order of episodes")]
    [Range(1, 256)]
    public int DecodeThreads { get; init; } = 2;

    [Doc("error | warn | skip: what to do with a truncated, corrupt or mis-typed file; skips are counted and reported")]
    public BadFilePolicy OnBadFile { get; init; } = BadFilePolicy.Error;

    [Doc("MPI runs: split_batches (every rank reads all data and trains on its 1/W of each batch: same batches as one process) | rank_streams (rank r reads only its 1/W shard of each epoch: less reading, other batches)")]
    public DataSharding Sharding { get; init; } = DataSharding.SplitBatches;

    public void Validate(string path, ConfigErrors errors)
    {
        errors.Require(Sources.Count > 0, ConfigErrors.Join(path, "sources"), "at least one source is required");
        string? builds = null;
        if (Build is { } dataset)
        {
            if (!File.Exists(ConfigPaths.Resolve(dataset)))
                errors.Add(ConfigErrors.Join(path, "build"), $"no such file '{dataset}' (relative to {ConfigPaths.BaseDirectory})");
            else
                builds = BuildOutput(dataset);
        }
        for (int i = 0; i < Sources.Count; i++)
        {
            string source = Sources[i].Path;
            if (source.StartsWith("bot:", StringComparison.Ordinal) || source.StartsWith("dagger:", StringComparison.Ordinal) || source.Length == 0) continue;
            // The fixed part of a glob must exist; a source inside what data.build builds appears when it is built.
            string fixedPart = FixedPrefix(source);
            if (builds != null && IsInside(fixedPart, builds)) continue;
            string resolved = ConfigPaths.Resolve(fixedPart);
            if (File.Exists(resolved) || Directory.Exists(resolved)) continue;
            errors.Add(ConfigErrors.Join(path, $"sources[{i}].path"),
                $"no such file or folder '{fixedPart}' (relative to {ConfigPaths.BaseDirectory})" +
                (Build is null ? "; build the dataset first (workbench data build …) or set data.build to build it" : $", and data.build builds {builds}"));
        }
    }

    /// <summary>The folder a dataset config file builds into (its output, else datasets/&lt;name&gt;), or null when it cannot be read.</summary>
    private static string? BuildOutput(string configPath)
    {
        try
        {
            return ((DatasetConfig)ConfigLoader.LoadAs(typeof(DatasetConfig), ConfigPaths.Resolve(configPath)).Value).OutputFolder();
        }
        catch (Exception e) when (e is ConfigException or UserError)
        {
            return null; // the datasetConfig's own problems are reported when it is validated or built
        }
    }

    private static string FixedPrefix(string glob)
    {
        var segments = glob.Replace('\\', '/').Split('/');
        int wild = Array.FindIndex(segments, s => s.IndexOfAny(['*', '?']) >= 0);
        return wild < 0 ? glob : wild == 0 ? "." : string.Join('/', segments.Take(wild));
    }

    private static bool IsInside(string path, string folder)
    {
        string a = Path.GetFullPath(ConfigPaths.Resolve(path)).TrimEnd('/') + "/", b = Path.GetFullPath(ConfigPaths.Resolve(folder)).TrimEnd('/') + "/";
        return a.StartsWith(b, StringComparison.Ordinal);
    }
}
