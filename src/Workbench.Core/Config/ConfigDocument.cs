using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Workbench.Config;

/// <summary>
/// Reads a YAML config into a node tree: resolves <c>include:</c> (base files, relative to the including
/// file, merged deeply with the including file winning) and applies <c>--set a.b=value</c> overrides.
/// Binding to typed records happens afterwards in <see cref="ConfigBinder"/>.
/// </summary>
public static class ConfigDocument
{
    public const string IncludeKey = "include";

    public static YamlMappingNode Load(string path, IEnumerable<string>? overrides = null)
    {
        var root = LoadWithIncludes(Path.GetFullPath(path), path, []);
        foreach (string assignment in overrides ?? [])
            ApplyOverride(root, assignment);
        return root;
    }

    public static YamlMappingNode Parse(string yamlText, string displayName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yamlText));
        }
        catch (YamlException e)
        {
            throw new UserError($"{displayName}: invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet reports some unterminated constructs this way, without a position: find it with the parser.
            throw new UserError($"{displayName}: invalid YAML {Unterminated(yamlText)}");
        }
        if (stream.Documents.Count == 0) return new YamlMappingNode();
        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
            throw new UserError($"{displayName}: the top level must be a mapping of keys (key: value)");
        return mapping;
    }

    /// <summary>
    /// Where an unterminated construct starts and where the text ends, from YamlDotNet's event parser: the innermost
    /// flow list/mapping (<c>[ …</c>, <c>{ …</c>) still open when the parser gave up, and the last event it read.
    /// </summary>
    private static string Unterminated(string yamlText)
    {
        var parser = new Parser(new StringReader(yamlText));
        var open = new Stack<(bool Flow, string What, Mark Start)>();
        Mark last = Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                var e = parser.Current!;
                last = e.End;
                switch (e)
                {
                    case SequenceStart q: open.Push((q.Style == SequenceStyle.Flow, "list '['", e.Start)); break;
                    case MappingStart m: open.Push((m.Style == MappingStyle.Flow, "mapping '{'", e.Start)); break;
                    case SequenceEnd or MappingEnd when open.Count > 0: open.Pop(); break;
                }
            }
        }
        catch (YamlException y)
        {
            return $"at line {y.Start.Line}, column {y.Start.Column}: {y.Message}";
        }
        catch (InvalidOperationException)
        {
            // the position is what the events tell
        }
        var flow = open.FirstOrDefault(o => o.Flow);
        return flow.What is not null
            ? $"at line {flow.Start.Line}, column {flow.Start.Column}: the {flow.What} opened here is never closed (read up to line {last.Line})"
            : $"after line {last.Line}, column {last.Column}: an unterminated list, mapping or quote";
    }

    private static YamlMappingNode LoadWithIncludes(string fullPath, string displayName, HashSet<string> stack)
    {
        if (!File.Exists(fullPath))
            throw new UserError($"{displayName}: file not found");
        if (!stack.Add(fullPath))
            throw new UserError($"{displayName}: include cycle ({string.Join(" -> ", stack.Select(Path.GetFileName))} -> {Path.GetFileName(fullPath)})");

        var node = Parse(File.ReadAllText(fullPath), displayName);
        var merged = new YamlMappingNode();
        if (node.Children.TryGetValue(new YamlScalarNode(IncludeKey), out var include))
        {
            var includes = include switch
            {
                YamlScalarNode s when !string.IsNullOrWhiteSpace(s.Value) => [s.Value!],
                YamlSequenceNode seq when seq.All(n => n is YamlScalarNode) => seq.Select(n => ((YamlScalarNode)n).Value ?? "").ToList(),
                _ => throw new UserError($"{displayName}: include: expected a file path or a list of file paths"),
            };
            string directory = Path.GetDirectoryName(fullPath)!;
            foreach (string relative in includes)
            {
                string basePath = Path.GetFullPath(Path.Combine(directory, relative));
                var baseNode = LoadWithIncludes(basePath, $"{displayName}: include '{relative}'", stack);
                DeepMerge(merged, baseNode);
            }
            node.Children.Remove(new YamlScalarNode(IncludeKey));
        }
        DeepMerge(merged, node);
        stack.Remove(fullPath);
        return merged;
    }

    /// <summary>Copies <paramref name="overlay"/> into <paramref name="target"/>: mappings merge key by key, anything else replaces.</summary>
    public static void DeepMerge(YamlMappingNode target, YamlMappingNode overlay)
    {
        foreach (var (key, value) in overlay.Children)
        {
            if (value is YamlMappingNode overlayMap && target.Children.TryGetValue(key, out var existing) && existing is YamlMappingNode targetMap)
                DeepMerge(targetMap, overlayMap);
            else
                target.Children[key] = value;
        }
    }

    /// <summary>Applies <c>a.b.c=value</c>; the value is read as YAML, so numbers, booleans and lists keep their types.</summary>
    public static void ApplyOverride(YamlMappingNode root, string assignment)
    {
        var (keys, value) = SplitOverride(assignment);
        var valueNode = ParseValue(value, assignment);
        var current = root;
        for (int i = 0; i < keys.Length - 1; i++)
        {
            var key = new YamlScalarNode(keys[i]);
            if (!current.Children.TryGetValue(key, out var child) || child is not YamlMappingNode childMap)
            {
                if (child is not null and not YamlMappingNode)
                    throw new UserError($"--set '{assignment}': {string.Join('.', keys[..(i + 1)])} is not a mapping");
                childMap = new YamlMappingNode();
                current.Children[key] = childMap;
            }
            current = childMap;
        }
        current.Children[new YamlScalarNode(keys[^1])] = valueNode;
    }

    /// <summary>The key path and value text of <c>a.b.c=value</c>; a <see cref="UserError"/> when it has no key or an empty key.</summary>
    public static (string[] Keys, string Value) SplitOverride(string assignment)
    {
        int eq = assignment.IndexOf('=');
        if (eq <= 0)
            throw new UserError($"--set '{assignment}': expected key.path=value");
        string[] keys = assignment[..eq].Trim().Split('.');
        if (keys.Any(string.IsNullOrWhiteSpace))
            throw new UserError($"--set '{assignment}': empty key in path");
        return (keys, assignment[(eq + 1)..]);
    }

    private static YamlNode ParseValue(string text, string assignment)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader("v: " + text));
        }
        catch (YamlException e)
        {
            throw new UserError($"--set '{assignment}': value is not valid YAML ({e.Message})");
        }
        return ((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("v")];
    }
}
