using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using Workbench.Data;
using Workbench.Models;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Training;

/// <summary>LoRA adapters carried by a model: settings and the adapted layers (module names).</summary>
public sealed record LoraInfo(int Rank, double Alpha, double Dropout, IReadOnlyList<string> Modules);

/// <summary>Where training stands, for resume and best-checkpoint selection.</summary>
public sealed record TrainerProgress(int Step, double? BestMetric, int BestStep, int EvalsWithoutImprovement);

/// <summary>
/// Everything in a checkpoint besides tensors. <see cref="Kind"/>: <c>train</c> (model + optimizer + RNG + loader:
/// resumable) or <c>model</c> (weights only, for inference and the model registry). <see cref="AdapterOnly"/>: the
/// file holds only LoRA adapter weights; the base weights come from <see cref="BaseModel"/> (a path or name@version).
/// <see cref="Ranks"/>: in a checkpoint of a data-parallel run, each rank's own state (rank 0 writes the file; its
/// torch RNG and loader state are also in <see cref="TorchRngState"/> / <see cref="Loader"/>); null for one process.
/// <see cref="Task"/>: null for agent models; <see cref="ImageClassifier.Task"/> for a pretrained image tower with its class
/// head (<see cref="Spec"/> is then the agent the tower belongs to); such checkpoints start agents' parts, they are not agents.
/// </summary>
public sealed record CheckpointHeader(
    string Kind,
    ModelSpec Spec,
    LoraInfo? Lora,
    string? BaseModel,
    string ConfigYaml,
    string ConfigSha256,
    TrainerProgress Progress,
    IReadOnlyDictionary<string, double> Metrics,
    string? TorchRngState = null,
    RngState? Rng = null,
    LoaderState? Loader = null,
    string? DatasetFingerprint = null,
    bool AdapterOnly = false,
    IReadOnlyList<RankState>? Ranks = null,
    string? Task = null)
{
    public const string Train = "train", Model = "model";
}

/// <summary>
/// Checkpoint files: magic line, JSON header, model tensors (TorchSharp's format), then for <c>train</c>
/// checkpoints the optimizer state, then a 16-byte trailer (content length, "WBCKEND\n") so that a file cut short
/// anywhere — a copy that stopped, a full disk outside our atomic write — is refused before anything is read.
/// Always written atomically (temp file + rename). Format 1 files (no trailer) are still read.
/// </summary>
public static class Checkpoint
{
    private const string Magic = "WORKBENCH-CHECKPOINT 2", MagicV1 = "WORKBENCH-CHECKPOINT 1";
    private static readonly byte[] TrailerMark = "WBCKEND\n"u8.ToArray();
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Save(string path, CheckpointHeader header, IAgentModel model, TorchSharp.Modules.OptimizerHelper? optimizer = null) =>
        Save(path, header, model.Module, optimizer);

    /// <summary>Any network (an agent's module, or an <see cref="ImageClassifier"/>) with its header.</summary>
    public static void Save(string path, CheckpointHeader header, nn.Module module, TorchSharp.Modules.OptimizerHelper? optimizer = null)
    {
        if (header.Kind == CheckpointHeader.Train && optimizer is null) throw new ArgumentException("train checkpoints hold the optimizer state");
        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(JsonSerializer.Serialize(header, Json));
            var skip = header.AdapterOnly
                ? module.state_dict().Keys.Where(k => !Finetuning.IsAdapterParameter(k)).ToList()
                : null;
            module.save(w, skip);
            if (header.Kind == CheckpointHeader.Train) optimizer!.save_state_dict(w);
            w.Flush();
            w.Write(stream.Position);
            w.Write(TrailerMark);
        });
    }

    public static CheckpointHeader ReadHeader(string path)
    {
        using var r = Open(path);
        return Readable(path, () => ReadHeader(r, path));
    }

    /// <summary>Rebuilds the model a checkpoint holds (its base first, for adapter checkpoints), in eval mode on CPU.</summary>
    public static IAgentModel LoadModel(string path, string? registryRoot = null)
    {
        using var r = Open(path);
        var header = Readable(path, () => ReadHeader(r, path));
        if (header.Task is { } task)
            throw new UserError($"{path} is a {task} checkpoint (a pretrained {header.Spec.Input.Describe()} image tower for {header.Spec.Family}/{header.Spec.Size}), " +
                                "not an agent: start an agent's tower from it with train.init_parts: [{from: …, module: image}]");
        var model = header.AdapterOnly
            ? ModelVersions.LoadAny(header.BaseModel ?? throw new InvalidDataException($"{path}: adapter checkpoint without base_model"), registryRoot)
            : ModelArchitectures.Create(header.Spec);
        if (header.Lora is { } lora) Finetuning.AddAdapters(model, lora);
        try
        {
            Readable(path, () => LoadTensors(r, header, model));
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.Module.eval();
        return model;
    }

    /// <summary>Rebuilds the image classifier a classifier checkpoint holds, in eval mode on CPU.</summary>
    public static ImageClassifier LoadClassifier(string path)
    {
        using var r = Open(path);
        var header = Readable(path, () => ReadHeader(r, path));
        if (header.Task != ImageClassifier.Task) throw new UserError($"{path} is an agent checkpoint, not an image classifier");
        var classifier = new ImageClassifier(header.Spec, Envs.FashionMnist.ClassCount);
        Readable(path, () => classifier.load(r));
        classifier.eval();
        return classifier;
    }

    /// <summary>The network a checkpoint holds, whatever its task (for copying parts): an agent's module or a classifier.</summary>
    public static nn.Module LoadNetwork(string path, string? registryRoot = null) =>
        ReadHeader(path).Task == ImageClassifier.Task ? LoadClassifier(path) : LoadModel(path, registryRoot).Module;

    /// <summary>Loads a train checkpoint's tensors and optimizer into existing objects; returns the header.</summary>
    public static CheckpointHeader Restore(string path, IAgentModel model, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        using var r = Open(path);
        var header = Readable(path, () => ReadHeader(r, path));
        if (header.Kind != CheckpointHeader.Train) throw new UserError($"{path} is a {header.Kind} checkpoint, not a resumable train checkpoint");
        Readable(path, () =>
        {
            LoadTensors(r, header, model);
            optimizer.load_state_dict(r);
        });
        return header;
    }

    /// <summary>As <see cref="Restore(string, IAgentModel, TorchSharp.Modules.OptimizerHelper)"/> for any network saved whole (no adapters).</summary>
    public static CheckpointHeader Restore(string path, nn.Module module, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        using var r = Open(path);
        var header = Readable(path, () => ReadHeader(r, path));
        if (header.Kind != CheckpointHeader.Train) throw new UserError($"{path} is a {header.Kind} checkpoint, not a resumable train checkpoint");
        Readable(path, () =>
        {
            module.load(r);
            optimizer.load_state_dict(r);
        });
        return header;
    }

    /// <summary>Loads the weights of a checkpoint saved whole into an existing network (e.g. best.ckpt into the live classifier).</summary>
    public static void LoadWeights(string path, nn.Module module)
    {
        using var r = Open(path);
        Readable(path, () => ReadHeader(r, path));
        Readable(path, () => module.load(r));
    }

    /// <summary>
    /// Runs a read of <paramref name="path"/>, turning what a truncated or corrupted file throws (end of stream, bad JSON,
    /// tensor shapes or counts that do not match) into one clear error naming the file.
    /// </summary>
    private static T Readable<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or JsonException or InvalidDataException or ArgumentException
                                      or InvalidOperationException or FormatException or OverflowException)
        {
            long bytes = new FileInfo(path).Length;
            throw new UserError($"{path}: truncated or corrupt checkpoint ({bytes:N0} bytes; {e.GetType().Name}: {e.Message.Split('\n')[0]}); " +
                                "use an earlier checkpoint of the run, or retrain", e);
        }
    }

    private static void Readable(string path, Action read) => Readable(path, () => { read(); return 0; });

    private static void LoadTensors(BinaryReader r, CheckpointHeader header, IAgentModel model)
    {
        if (header.AdapterOnly)
            model.Module.load(r, strict: false, skip: model.Module.state_dict().Keys.Where(k => !Finetuning.IsAdapterParameter(k)).ToList());
        else
            model.Module.load(r);
    }

    private static BinaryReader Open(string path)
    {
        if (!File.Exists(path)) throw new UserError($"checkpoint not found: {path}");
        var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        try
        {
            CheckComplete(reader, path);
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>Format 2: the trailer must be there and say the file's length; then the reader is back at the start.</summary>
    private static void CheckComplete(BinaryReader r, string path)
    {
        string magic;
        try { magic = r.ReadString(); } catch (Exception e) when (e is EndOfStreamException or IOException or FormatException) { magic = ""; }
        if (magic != Magic && magic != MagicV1) throw new UserError($"{path} is not a Workbench checkpoint");
        if (magic == Magic)
        {
            long length = r.BaseStream.Length;
            bool complete = length >= 16 + TrailerMark.Length;
            if (complete)
            {
                r.BaseStream.Seek(-16, SeekOrigin.End);
                long content = r.ReadInt64();
                complete = r.ReadBytes(TrailerMark.Length).AsSpan().SequenceEqual(TrailerMark) && content == length - 16;
            }
            if (!complete)
                throw new UserError($"{path}: truncated or corrupt checkpoint ({length:N0} bytes, end marker missing); " +
                                    "use an earlier checkpoint of the run, or retrain");
        }
        r.BaseStream.Seek(0, SeekOrigin.Begin);
    }

    private static CheckpointHeader ReadHeader(BinaryReader r, string path)
    {
        string magic;
        try { magic = r.ReadString(); } catch (EndOfStreamException) { magic = ""; }
        if (magic != Magic && magic != MagicV1) throw new UserError($"{path} is not a Workbench checkpoint");
        return JsonSerializer.Deserialize<CheckpointHeader>(r.ReadString(), Json) ?? throw new InvalidDataException($"{path}: empty header");
    }

    public static string TorchRngState()
    {
        using var state = torch.get_rng_state();
        return Convert.ToBase64String(state.data<byte>().ToArray());
    }

    public static void RestoreTorchRng(string base64)
    {
        using var state = torch.tensor(Convert.FromBase64String(base64));
        torch.set_rng_state(state);
    }
}
