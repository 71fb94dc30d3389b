using System.Text.Json;
using Workbench.Models;
using Workbench.Runtime;

namespace Workbench.Training;

/// <summary>One registered model version (registry/&lt;name&gt;/&lt;version&gt;/version.json).</summary>
public sealed record ModelVersion(
    string Name, string Version, string Checkpoint, string SourceRun, string SourceCheckpoint,
    string ConfigSha256, string? DatasetFingerprint, string? GitCommit, ModelSpec Spec,
    IReadOnlyDictionary<string, double> Metrics, DateTimeOffset RegisteredAt, string? Task = null)
{
    public string Reference => $"{Name}@{Version}";
}

/// <summary>
/// File-based model registry: <c>registry/&lt;name&gt;/&lt;version&gt;/</c> holds <c>model.ckpt</c> (a weights-only copy:
/// LoRA adapters merged, optimizer dropped) and <c>version.json</c>. Evals and reports load models by
/// <c>name@version</c> through <see cref="Resolve"/>. Image-classifier runs register the same way (<see cref="ModelVersion.Task"/>
/// <c>image_classifier</c>): such a version is a pretrained tower that <c>train.init_parts</c> names, not a policy.
/// </summary>
public static class ModelVersions
{
    public const string DefaultRoot = "registry";

    /// <summary>Registers a run's best checkpoint (or last, when it has no best) as name@version.</summary>
    public static ModelVersion Register(string runDir, string name, string version, string? root = null, bool force = false)
    {
        CheckName(name, "name");
        CheckName(version, "version");
        root ??= DefaultRoot;
        var run = RunDirectory.Open(runDir);
        string source = run.BestCheckpoint ?? run.LatestCheckpoint ?? throw new UserError($"{runDir}: no checkpoint to register");
        string dir = Path.Combine(root, name, version);
        if (Directory.Exists(dir) && !force) throw new UserError($"{name}@{version} is already registered ({dir}); pick a new version");
        Directory.CreateDirectory(dir);

        var header = Checkpoint.ReadHeader(source);
        using var model = header.Task is null ? Checkpoint.LoadModel(source, root) : null;
        using var plain = model is null || header.Lora is null ? null : Finetuning.Merge(model);
        using var classifier = model is null ? Checkpoint.LoadClassifier(source) : null;
        var info = run.ReadInfo();
        var entry = new ModelVersion(name, version, Path.Combine(dir, "model.ckpt"), Path.GetFullPath(runDir), Path.GetFullPath(source),
            header.ConfigSha256, header.DatasetFingerprint ?? info.DatasetFingerprint, info.GitCommit, header.Spec,
            info.FinalMetrics ?? header.Metrics, DateTimeOffset.UtcNow, header.Task);
        Checkpoint.Save(entry.Checkpoint, header with
        {
            Kind = CheckpointHeader.Model, Lora = null, BaseModel = null, AdapterOnly = false, TorchRngState = null, Rng = null, Loader = null,
        }, (plain ?? model)?.Module ?? classifier!);
        AtomicFile.WriteAllText(Path.Combine(dir, "version.json"), JsonSerializer.Serialize(entry, Checkpoint.Json));
        return entry;
    }

    public static IReadOnlyList<ModelVersion> List(string? root = null)
    {
        root ??= DefaultRoot;
        if (!Directory.Exists(root)) return [];
        return Directory.EnumerateFiles(root, "version.json", SearchOption.AllDirectories)
            .Select(f => JsonSerializer.Deserialize<ModelVersion>(File.ReadAllText(f), Checkpoint.Json)!)
            .OrderBy(v => v.Name, StringComparer.Ordinal).ThenBy(v => v.RegisteredAt)
            .ToList();
    }

    public static ModelVersion Find(string reference, string? root = null)
    {
        int at = reference.IndexOf('@');
        if (at <= 0 || at == reference.Length - 1) throw new UserError($"'{reference}': expected name@version");
        string name = reference[..at], version = reference[(at + 1)..];
        CheckName(name, "name");
        CheckName(version, "version");
        string file = Path.Combine(root ?? DefaultRoot, name, version, "version.json");
        if (!File.Exists(file))
        {
            var known = List(root).Select(v => v.Reference).ToList();
            throw new UserError($"model '{reference}' is not registered" + (known.Count > 0 ? $" (registered: {string.Join(", ", known)})" : " (the registry is empty; run 'workbench models register')"));
        }
        return JsonSerializer.Deserialize<ModelVersion>(File.ReadAllText(file), Checkpoint.Json)!;
    }

    /// <summary>Loads name@version for inference (eval mode, CPU; move it with <c>Module.to(device)</c>).</summary>
    public static IAgentModel Resolve(string reference, string? root = null) => Checkpoint.LoadModel(Find(reference, root).Checkpoint, root);

    /// <summary>A checkpoint path or a name@version reference.</summary>
    public static IAgentModel LoadAny(string pathOrReference, string? root = null) =>
        File.Exists(pathOrReference) || !pathOrReference.Contains('@')
            ? Checkpoint.LoadModel(pathOrReference, root)
            : Resolve(pathOrReference, root);

    /// <summary>A name or version becomes one folder under the registry: no path segments ('.', '..'), no hidden folders.</summary>
    private static void CheckName(string value, string what)
    {
        if (value.Length == 0 || value.Length > 100 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new UserError($"model {what} '{value}': use 1–100 ASCII letters, digits, '-', '_' or '.'");
        if (value.StartsWith('.'))
            throw new UserError($"model {what} '{value}': must not start with '.' ('.' and '..' would name a folder outside registry/<name>/<version>)");
    }
}
