using Workbench.Config;
using Workbench.Data;
using Workbench.Envs;

namespace Workbench.Tests.Data;

/// <summary>Dataset configs can keep colour–object combos out of the demonstrations (recipe key exclude_combos).</summary>
public sealed class ExcludeCombosTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private static DatasetConfig Recipe(string output, string combos = "[purple key, yellow box, green ball]", string seeds = "{start: 0}") =>
        ConfigLoader.FromYaml<DatasetConfig>($"""
            name: combos
            levels: [GoToLocal, PickupLoc]
            seeds: {seeds}
            episodes: 120
            exclude_combos: {combos}
            rows_per_group: 500
            output: {output}
            seed: 2
            """);

    private static readonly ObjectCombo[] HeldOut = [new(Color.Purple, ObjectType.Key), new(Color.Yellow, ObjectType.Box), new(Color.Green, ObjectType.Ball)];

    [Fact]
    public void No_demonstration_names_or_targets_an_excluded_combo_and_the_skips_are_counted()
    {
        var card = DatasetBuilder.Build(Recipe(_tmp["a"]), TextWriter.Null);
        using var loader = StreamingLoader.Open(_tmp["a"]);
        var episodes = Enumerable.Range(0, 120).Select(_ => loader.Next()).ToList();

        Assert.Equal(120, episodes.Select(e => (e.Level, e.Seed)).Distinct().Count());
        foreach (var e in episodes)
        {
            Assert.DoesNotContain(HeldOut, c => c.NamedIn(e.Mission));
            // Replay the episode's start: no object the mission can be satisfied with is a held-out combo either.
            var env = LevelRegistry.Create(e.Level);
            env.Reset(e.Seed);
            Assert.Equal(e.Mission, env.Mission);
            Assert.False(ObjectCombo.Involves(env, HeldOut), $"{e.Level} seed {e.Seed}: '{e.Mission}'");
        }
        Assert.All(card.Levels, l => Assert.True(l.Excluded > 0, $"{l.Level}: no seed was skipped, so the test shows nothing"));
        Assert.Contains("exclude_combos", File.ReadAllText(Path.Combine(_tmp["a"], "README.md")));

        // Without the key the same seeds do produce those combos: the exclusion is what keeps them out.
        var plain = DatasetBuilder.Build(Recipe(_tmp["b"], combos: "[]"), TextWriter.Null);
        using var all = StreamingLoader.Open(_tmp["b"]);
        Assert.Contains(Enumerable.Range(0, 120).Select(_ => all.Next()), e => HeldOut.Any(c => c.NamedIn(e.Mission)));
        Assert.All(plain.Levels, l => Assert.Equal(0, l.Excluded));
    }

    [Fact]
    public void Excluding_combos_is_deterministic()
    {
        var a = DatasetBuilder.Build(Recipe(_tmp["a"]), TextWriter.Null);
        var b = DatasetBuilder.Build(Recipe(_tmp["b"]), TextWriter.Null);
        Assert.Equal(a.Fingerprint, b.Fingerprint);
    }

    [Fact]
    public void Bad_combos_and_too_few_seeds_are_user_errors_naming_the_key()
    {
        var e = Assert.Throws<ConfigException>(() => Recipe(_tmp["x"], combos: "[purple key, pink key, key]"));
        Assert.Contains("exclude_combos[1]: expected '<colour> <object>' like 'purple key'", e.Message);
        Assert.Contains("exclude_combos[2]", e.Message);
        var few = Assert.Throws<UserError>(() => DatasetBuilder.Build(Recipe(_tmp["y"], seeds: "{start: 0, count: 60}"), TextWriter.Null));
        Assert.Contains("avoid exclude_combos", few.Message);
        Assert.Contains("give more seeds", few.Message);
    }
}
