using Parquet;
using Parquet.Schema;

namespace Workbench.Evals.Records;

/// <summary>
/// Which run a result file holds, stored in its Parquet key-value metadata: the part of the suite
/// (<c>k/N</c>; <c>1/1</c> = the whole suite, as written by an unsharded run or by <c>eval merge</c>), the hash of
/// the resolved suite, and the policy. <c>eval merge</c> reads it to refuse a missing or duplicated shard.
/// </summary>
public sealed record ResultFileInfo(string Shard, string SuiteSha256, string Policy)
{
    public const string ShardKey = "workbench.shard";
    public const string SuiteSha256Key = "workbench.suite_sha256";
    public const string PolicyKey = "workbench.policy";

    public Dictionary<string, string> ToMetadata() => new() { [ShardKey] = Shard, [SuiteSha256Key] = SuiteSha256, [PolicyKey] = Policy };

    /// <summary>Null when the file predates this metadata (or another tool wrote it).</summary>
    public static ResultFileInfo? FromMetadata(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(ShardKey, out var shard)
            ? new ResultFileInfo(shard, metadata.GetValueOrDefault(SuiteSha256Key, ""), metadata.GetValueOrDefault(PolicyKey, ""))
            : null;
}

/// <summary>Reads and writes eval result files: one Parquet row per episode (Parquet.Net 6 column API).</summary>
public static class EpisodeRecordFile
{
    private static readonly DataField<string> Model = new("model", false);
    private static readonly DataField<string> Version = new("version", false);
    private static readonly DataField<string> Suite = new("suite", false);
    private static readonly DataField<int> SuiteVersion = new("suite_version", false);
    private static readonly DataField<string> Task = new("task", false);
    private static readonly DataField<string> Level = new("level", false);
    private static readonly DataField<long> Seed = new("seed", false);
    private static readonly DataField<int> Episode = new("episode", false);
    private static readonly DataField<long> EnvSeed = new("env_seed", false);
    private static readonly DataField<bool> Success = new("success", false);
    private static readonly DataField<float> Reward = new("reward", false);
    private static readonly DataField<int> Steps = new("steps", false);
    private static readonly DataField<bool> Unsafe = new("unsafe", false);
    private static readonly DataField<bool> Refused = new("refused", false);
    private static readonly DataField<double> LatencyMs = new("latency_ms", false);
    private static readonly DataField<double> WallMs = new("wall_ms", false);
    private static readonly DataField<string> Mission = new("mission", false);
    private static readonly DataField<string> Actions = new("actions", false);
    private static readonly DataField<int?> BotSteps = new("bot_steps", true);
    private static readonly DataField<int?> TargetClass = new("target_class", true);
    private static readonly DataField<int?> ReachedClass = new("reached_class", true);
    private static readonly DataField<bool?> HarmAttempted = new("harm_attempted", true);

    public static readonly ParquetSchema Schema = new(Model, Version, Suite, SuiteVersion, Task, Level, Seed, Episode, EnvSeed,
        Success, Reward, Steps, Unsafe, Refused, LatencyMs, WallMs, Mission, Actions, BotSteps, TargetClass, ReachedClass, HarmAttempted);

    /// <summary>Columns added after files were first written: a file without them reads them as null.</summary>
    private static readonly HashSet<string> Optional = [HarmAttempted.Name];

    /// <summary>Writes the records (in canonical order) atomically: readers never see a half-written file.</summary>
    public static void Write(string path, IReadOnlyList<EpisodeRecord> records, ResultFileInfo? info = null) =>
        Runtime.AtomicFile.WriteAsync(path, stream => WriteAsync(stream, records.Order(EpisodeOrder.Instance).ToArray(), info))
            .GetAwaiter().GetResult();

    private static async Task WriteAsync(Stream stream, EpisodeRecord[] r, ResultFileInfo? info)
    {
        await using var writer = await ParquetWriter.CreateAsync(Schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy });
        if (info != null) writer.CustomMetadata = info.ToMetadata();
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(Model, r.Select(x => x.Model).ToArray());
        await group.WriteAsync(Version, r.Select(x => x.Version).ToArray());
        await group.WriteAsync(Suite, r.Select(x => x.Suite).ToArray());
        await group.WriteAsync<int>(SuiteVersion, r.Select(x => x.SuiteVersion).ToArray());
        await group.WriteAsync(Task, r.Select(x => x.Task).ToArray());
        await group.WriteAsync(Level, r.Select(x => x.Level).ToArray());
        await group.WriteAsync<long>(Seed, r.Select(x => x.Seed).ToArray());
        await group.WriteAsync<int>(Episode, r.Select(x => x.Episode).ToArray());
        await group.WriteAsync<long>(EnvSeed, r.Select(x => x.EnvSeed).ToArray());
        await group.WriteAsync<bool>(Success, r.Select(x => x.Success).ToArray());
        await group.WriteAsync<float>(Reward, r.Select(x => x.Reward).ToArray());
        await group.WriteAsync<int>(Steps, r.Select(x => x.Steps).ToArray());
        await group.WriteAsync<bool>(Unsafe, r.Select(x => x.Unsafe).ToArray());
        await group.WriteAsync<bool>(Refused, r.Select(x => x.Refused).ToArray());
        await group.WriteAsync<double>(LatencyMs, r.Select(x => x.LatencyMs).ToArray());
        await group.WriteAsync<double>(WallMs, r.Select(x => x.WallMs).ToArray());
        await group.WriteAsync(Mission, r.Select(x => x.Mission).ToArray());
        await group.WriteAsync(Actions, r.Select(x => x.Actions).ToArray());
        await group.WriteAsync<int>(BotSteps, new ReadOnlyMemory<int?>(r.Select(x => x.BotSteps).ToArray()));
        await group.WriteAsync<int>(TargetClass, new ReadOnlyMemory<int?>(r.Select(x => x.TargetClass).ToArray()));
        await group.WriteAsync<int>(ReachedClass, new ReadOnlyMemory<int?>(r.Select(x => x.ReachedClass).ToArray()));
        await group.WriteAsync<bool>(HarmAttempted, new ReadOnlyMemory<bool?>(r.Select(x => x.HarmAttempted).ToArray()));
    }

    public static IReadOnlyList<EpisodeRecord> Read(string path)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: result file not found");
        try
        {
            return ReadAsync(path).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not UserError)
        {
            throw new UserError($"{path}: not a readable eval result file ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>The provenance metadata of a result file; null when it has none.</summary>
    public static ResultFileInfo? ReadInfo(string path)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: result file not found");
        try
        {
            return ReadInfoAsync(path).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not UserError)
        {
            throw new UserError($"{path}: not a readable eval result file ({e.GetType().Name}: {e.Message})", e);
        }
    }

    private static async Task<ResultFileInfo?> ReadInfoAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        return ResultFileInfo.FromMetadata(reader.CustomMetadata);
    }

    private static async Task<IReadOnlyList<EpisodeRecord>> ReadAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var present = reader.Schema.GetDataFields().Select(f => f.Name).ToHashSet();
        var missing = Schema.GetDataFields().Select(f => f.Name).Where(f => !present.Contains(f) && !Optional.Contains(f)).ToList();
        if (missing.Count > 0) throw new UserError($"{path}: not an eval result file (missing columns: {string.Join(", ", missing)})");
        var result = new List<EpisodeRecord>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int n = checked((int)group.RowCount);
            var model = await Strings(group, Model, n);
            var version = await Strings(group, Version, n);
            var suite = await Strings(group, Suite, n);
            var suiteVersion = await Values(group, SuiteVersion, n);
            var task = await Strings(group, Task, n);
            var level = await Strings(group, Level, n);
            var seed = await Values(group, Seed, n);
            var episode = await Values(group, Episode, n);
            var envSeed = await Values(group, EnvSeed, n);
            var success = await Values(group, Success, n);
            var reward = await Values(group, Reward, n);
            var steps = await Values(group, Steps, n);
            var isUnsafe = await Values(group, Unsafe, n);
            var refused = await Values(group, Refused, n);
            var latency = await Values(group, LatencyMs, n);
            var wall = await Values(group, WallMs, n);
            var mission = await Strings(group, Mission, n);
            var actions = await Strings(group, Actions, n);
            var botSteps = await Nullables(group, BotSteps, n);
            var targetClass = await Nullables(group, TargetClass, n);
            var reachedClass = await Nullables(group, ReachedClass, n);
            var harmAttempted = present.Contains(HarmAttempted.Name) ? await Nullables(group, HarmAttempted, n) : new bool?[n];
            for (int i = 0; i < n; i++)
            {
                result.Add(new EpisodeRecord
                {
                    Model = model[i], Version = version[i], Suite = suite[i], SuiteVersion = suiteVersion[i], Task = task[i],
                    Level = level[i], Seed = seed[i], Episode = episode[i], EnvSeed = envSeed[i], Success = success[i],
                    Reward = reward[i], Steps = steps[i], Unsafe = isUnsafe[i], Refused = refused[i], LatencyMs = latency[i],
                    WallMs = wall[i], Mission = mission[i], Actions = actions[i], BotSteps = botSteps[i],
                    TargetClass = targetClass[i], ReachedClass = reachedClass[i], HarmAttempted = harmAttempted[i],
                });
            }
        }
        return result;
    }

    private static async Task<T[]> Values<T>(ParquetRowGroupReader group, DataField field, int n) where T : struct
    {
        var values = new T[n];
        await group.ReadAsync<T>(field, values.AsMemory(), null, default);
        return values;
    }

    private static Task<T[]> Values<T>(ParquetRowGroupReader group, DataField<T> field, int n) where T : struct =>
        Values<T>(group, (DataField)field, n);

    private static async Task<T?[]> Nullables<T>(ParquetRowGroupReader group, DataField<T?> field, int n) where T : struct
    {
        var values = new T?[n];
        await group.ReadAsync<T>(field, values.AsMemory(), null, default);
        return values;
    }

    private static async Task<string[]> Strings(ParquetRowGroupReader group, DataField<string> field, int n)
    {
        var values = new string?[n];
        await group.ReadAsync(field, values.AsMemory(), null, default);
        for (int i = 0; i < n; i++)
            if (values[i] is null) throw new InvalidDataException($"column {field.Name}: null at row {i}");
        return values!;
    }
}
