using System.Reflection;
using NetArchTest.Rules;

namespace Workbench.Tests.Architecture;

/// <summary>
/// The layer map of src/ARCHITECTURE.md, enforced: a namespace of Workbench.Core may use only the namespaces to its
/// left. NetArchTest reads type references out of the IL (signatures, fields and method bodies), so a fully qualified
/// reference without a <c>using</c> is caught too.
/// </summary>
public sealed class LayerTests
{
    /// <summary>Lowest first, as in src/ARCHITECTURE.md.</summary>
    public static readonly string[] Layers =
        ["Runtime", "Distributed", "Config", "Envs", "Data", "Models", "Rollouts", "Training", "Evals", "Reporting", "Cluster", "Workflows"];

    public static TheoryData<string> LayerNames => new(Layers);

    /// <summary>Forbidden references of the layers of <paramref name="root"/>.<c>Layer</c> in <paramref name="assembly"/>, as "type → namespace".</summary>
    public static IReadOnlyList<string> Violations(Assembly assembly, string root, string layer)
    {
        int index = Array.IndexOf(Layers, layer);
        var above = Layers.Skip(index + 1).Select(l => $"{root}.{l}").ToArray();
        var violations = new List<string>();
        foreach (string forbidden in above)
        {
            var result = Types.InAssembly(assembly).That().ResideInNamespace($"{root}.{layer}")
                .ShouldNot().HaveDependencyOn(forbidden).GetResult();
            if (!result.IsSuccessful)
                violations.AddRange((result.FailingTypeNames ?? []).Select(t => $"{t} → {forbidden}"));
        }
        return violations;
    }

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void A_layer_uses_only_the_layers_below_it(string layer)
    {
        var violations = Violations(typeof(UserError).Assembly, "Workbench", layer);
        Assert.True(violations.Count == 0,
            $"Workbench.{layer} references layers above it (see src/ARCHITECTURE.md, Layers):\n  " + string.Join("\n  ", violations));
    }

    [Fact]
    public void Every_namespace_of_the_library_is_a_layer_of_the_map()
    {
        var namespaces = typeof(UserError).Assembly.GetTypes()
            .Select(t => t.Namespace ?? "")
            .Where(n => n.StartsWith("Workbench.", StringComparison.Ordinal))
            .Select(n => n.Split('.')[1])
            .Distinct()
            .Where(n => !Layers.Contains(n))
            .ToList();
        Assert.True(namespaces.Count == 0, $"namespaces missing from the layer map: {string.Join(", ", namespaces)}");
    }

    [Fact]
    public void The_check_fails_on_a_forbidden_reference()
    {
        // Probe types below (namespace LayerProbe.*) break the map on purpose: Data uses Models, Models uses Workflows.
        var assembly = typeof(LayerTests).Assembly;
        Assert.Contains(Violations(assembly, "LayerProbe", "Data"), v => v.Contains("LayerProbe.Data.UsesModels") && v.EndsWith("LayerProbe.Models"));
        Assert.Contains(Violations(assembly, "LayerProbe", "Models"), v => v.EndsWith("LayerProbe.Workflows"));
        Assert.Empty(Violations(assembly, "LayerProbe", "Workflows"));
    }
}
