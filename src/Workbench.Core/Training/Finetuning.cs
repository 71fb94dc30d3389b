using System.Text.RegularExpressions;
using TorchSharp;
using Workbench.Models;
using static TorchSharp.torch;

namespace Workbench.Training;

/// <summary>Fine-tuning tools: start weights, freezing by name globs, LoRA adapters and merging them.</summary>
public static class Finetuning
{
    public static bool IsAdapterParameter(string name) => name.EndsWith("lora_a", StringComparison.Ordinal) || name.EndsWith("lora_b", StringComparison.Ordinal);

    /// <summary>Glob over dotted names: <c>*</c> any run of characters, <c>?</c> one character.</summary>
    public static bool Matches(string name, string glob) =>
        Regex.IsMatch(name, "^" + Regex.Escape(glob).Replace(@"\*", ".*").Replace(@"\?", ".") + "$");

    /// <summary>Sets requires_grad = false on parameters matching any glob; returns the frozen names.</summary>
    public static List<string> Freeze(IAgentModel model, IReadOnlyList<string> globs)
    {
        var frozen = new List<string>();
        if (globs.Count == 0) return frozen;
        foreach (var (name, p) in model.Module.named_parameters())
        {
            if (!globs.Any(g => Matches(name, g))) continue;
            p.requires_grad = false;
            frozen.Add(name);
        }
        if (frozen.Count == 0) throw new UserError($"train.freeze: no parameter matches {string.Join(", ", globs)}");
        return frozen;
    }

    /// <summary>Every LoRA-capable layer by module name (e.g. <c>blocks.0.qkv</c>).</summary>
    public static IEnumerable<(string Name, LoraLinear Layer)> LoraLayers(IAgentModel model) =>
        model.Module.named_modules().Where(m => m.module is LoraLinear).Select(m => (m.name, (LoraLinear)m.module));

    /// <summary>Adds adapters to the layers whose names match <paramref name="targets"/>; freezes everything else.</summary>
    public static LoraInfo ApplyLora(IAgentModel model, LoraSection lora)
    {
        var names = LoraLayers(model).Where(l => lora.Targets.Any(g => Matches(l.Name, g))).Select(l => l.Name).ToList();
        if (names.Count == 0)
            throw new UserError($"train.lora.targets: no Linear layer matches {string.Join(", ", lora.Targets)} (layers: {string.Join(", ", LoraLayers(model).Select(l => l.Name))})");
        var info = new LoraInfo(lora.Rank, lora.Alpha, lora.Dropout, names);
        AddAdapters(model, info);
        if (!lora.FreezeBase)
        {
            // The adapted layers' own weights stay as they were (that is what LoRA adapts); everything else trains.
            foreach (var name in names)
                foreach (var (_, p) in LoraLayers(model).First(l => l.Name == name).Layer.Linear.named_parameters()) p.requires_grad = false;
            return info;
        }
        foreach (var (name, p) in model.Module.named_parameters()) p.requires_grad = IsAdapterParameter(name);
        return info;
    }

    /// <summary>Adds adapters described by <paramref name="info"/> (used when rebuilding a model from a checkpoint).</summary>
    public static void AddAdapters(IAgentModel model, LoraInfo info)
    {
        var layers = LoraLayers(model).ToDictionary(l => l.Name, l => l.Layer);
        foreach (var name in info.Modules)
        {
            if (!layers.TryGetValue(name, out var layer)) throw new InvalidDataException($"checkpoint names LoRA layer '{name}' that the model lacks");
            layer.AddAdapter(info.Rank, info.Alpha, info.Dropout);
        }
    }

    /// <summary>
    /// A plain model (no adapters) whose weights are W + (α / r)·B·A: same outputs, no adapter cost at inference.
    /// The input model is left as it is.
    /// </summary>
    public static IAgentModel Merge(IAgentModel adapted)
    {
        var merged = ModelArchitectures.Create(adapted.Spec);
        var weights = new Dictionary<string, Tensor>();
        using (var _ = no_grad())
        {
            var adaptedLayers = LoraLayers(adapted).ToDictionary(l => l.Name, l => l.Layer);
            foreach (var (name, tensor) in adapted.Module.state_dict())
                if (!IsAdapterParameter(name)) weights[name] = tensor;
            foreach (var (name, layer) in adaptedLayers)
                if (layer.HasAdapter) weights[$"{name}.linear.weight"] = layer.MergedWeight();
            merged.Module.to(adapted.Module.parameters().First().device);
            merged.Module.load_state_dict(weights);
        }
        merged.Module.train(adapted.Module.training);
        return merged;
    }

    /// <summary>
    /// <c>train.init_parts</c>: copies the tensors under each part's source module (an agent's or an image classifier's,
    /// e.g. <c>image.*</c>) into the model's target module. Every tensor of the target must be there with the same shape,
    /// and the source must read the model's observation (same modality and tile size), or nothing starts.
    /// Returns the names of the tensors copied.
    /// </summary>
    public static List<string> InitParts(IAgentModel model, IReadOnlyList<InitPart> parts, string? registryRoot)
    {
        var copied = new List<string>();
        var targets = model.Module.state_dict();
        for (int i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            string where = $"train.init_parts[{i}]";
            string path = File.Exists(part.From) || !part.From.Contains('@') ? part.From : ModelVersions.Find(part.From, registryRoot).Checkpoint;
            var header = Checkpoint.ReadHeader(path);
            if (header.Spec.Input != model.Spec.Input)
                throw new UserError($"{where}: {part.From} was trained on {header.Spec.Input.Describe()} observations, the model reads {model.Spec.Input.Describe()}; " +
                                    $"set model.observation/model.tile_size to match, or pretrain a tower at tile {model.Spec.Input.TileSize}");
            var mine = targets.Where(kv => kv.Key.StartsWith(part.TargetModule() + ".", StringComparison.Ordinal)).ToList();
            if (mine.Count == 0)
                throw new UserError($"{where}.to: the model has no module '{part.TargetModule()}' (top-level modules: {string.Join(", ", model.Module.named_children().Select(c => c.name))})");
            using var network = Checkpoint.LoadNetwork(path, registryRoot);
            var theirs = network.state_dict();
            if (!theirs.Keys.Any(k => k.StartsWith(part.Module + ".", StringComparison.Ordinal)))
                throw new UserError($"{where}.module: {part.From} has no module '{part.Module}' (top-level modules: {string.Join(", ", network.named_children().Select(c => c.name))})");
            using var _ = no_grad();
            foreach (var (name, target) in mine)
            {
                string source = part.Module + name[part.TargetModule().Length..];
                if (!theirs.TryGetValue(source, out var value))
                    throw new UserError($"{where}: {part.From} has no tensor '{source}' for the model's '{name}' (a {header.Spec.Family}/{header.Spec.Size} source; the model is {model.Spec.Family}/{model.Spec.Size})");
                if (!value.shape.SequenceEqual(target.shape))
                    throw new UserError($"{where}: '{source}' of {part.From} is ({string.Join(", ", value.shape)}), the model's '{name}' is ({string.Join(", ", target.shape)}) — " +
                                        $"the source is a {header.Spec.Family}/{header.Spec.Size} at {header.Spec.Input.Describe()}, the model a {model.Spec.Family}/{model.Spec.Size}");
                target.copy_(value.to(target.device));
                copied.Add(name);
            }
        }
        return copied;
    }

    /// <summary>Copies weights from a start model into <paramref name="model"/> (same family and size).</summary>
    public static void InitFrom(IAgentModel model, IAgentModel start, string source)
    {
        if (start.Spec.Family != model.Spec.Family || start.Spec.Size != model.Spec.Size || start.Spec.VocabSize != model.Spec.VocabSize)
            throw new UserError($"train.init_from: {source} is a {start.Spec.Family}/{start.Spec.Size} (vocab {start.Spec.VocabSize}) model, the config asks for {model.Spec.Family}/{model.Spec.Size} (vocab {model.Spec.VocabSize})");
        var source_ = start.Spec.MaxMissionLength == model.Spec.MaxMissionLength ? start : throw new UserError(
            $"train.init_from: {source} was trained with max_mission_length {start.Spec.MaxMissionLength}, the config says {model.Spec.MaxMissionLength}");
        var plain = source_.Module.state_dict().Keys.Any(IsAdapterParameter) ? Merge(source_) : source_;
        using var _ = no_grad();
        model.Module.load_state_dict(plain.Module.state_dict());
        if (!ReferenceEquals(plain, source_)) plain.Dispose();
    }
}
