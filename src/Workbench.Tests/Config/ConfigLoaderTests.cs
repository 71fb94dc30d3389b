using Workbench.Config;
using Workbench.Training;
using Workbench.Workflows;

namespace Workbench.Tests.Config;

public class ConfigLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wb-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string yaml)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_path()
    {
        string path = Write("bad.yaml", """
            kind: experiment
            name: bad
            device: gpu
            model:
              szie: tiny
            train:
              lr: -1
              steps: abc
              batch_size: [1]
            """);
        var e = Assert.Throws<ConfigException>(() => ConfigKinds.Load(path));
        var problems = e.Problems.Select(p => p.ToString()).ToList();
        Assert.Contains("model.szie: unknown key (did you mean 'size'?)", problems);
        Assert.Contains("train.lr: must be > 0", problems);
        Assert.Contains("train.steps: expected an integer, got 'abc'", problems);
        Assert.Contains("train.batch_size: expected an integer, got a list", problems);
        Assert.Contains(problems, p => p.StartsWith("device: expected auto | cpu | cuda | cuda:N", StringComparison.Ordinal));
        Assert.Equal(5, problems.Count);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Defaults_apply_to_keys_that_are_not_given()
    {
        var config = ConfigLoader.FromYaml<ExperimentConfig>("name: x\ndata: {sources: [{path: bot:GoToRedBallGrey:4}]}");
        Assert.Equal(new TrainSection().Lr, config.Train.Lr);
        Assert.Equal(0.01, config.Train.WeightDecay);
        Assert.Equal("auto", config.Device);
        Assert.Equal(1.0, config.Data.Sources[0].Proportion);
    }

    [Fact]
    public void Data_paths_that_do_not_exist_are_errors_unless_the_recipe_builds_them()
    {
        string dir = Write("recipe.yaml", "kind: dataset\nname: built\nlevels: [GoToRedBallGrey]\nepisodes: 4\n");
        using var _ = ConfigPaths.RelativeTo(Path.GetDirectoryName(dir)!);
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.FromYaml<ExperimentConfig>("name: x\ndata: {sources: [{path: missing/part-*.parquet}]}"));
        Assert.Contains(e.Problems, p => p.Path == "data.sources[0].path" && p.Message.Contains("no such file or folder 'missing'"));
        var recipe = Assert.Throws<ConfigException>(() => ConfigLoader.FromYaml<ExperimentConfig>("name: x\ndata: {build: nope.yaml, sources: [{path: bot:GoToRedBallGrey:4}]}"));
        Assert.Contains(recipe.Problems, p => p.Path == "data.build" && p.Message.Contains("no such file 'nope.yaml'"));
        // The recipe's output folder does not exist yet: training builds it first.
        ConfigLoader.FromYaml<ExperimentConfig>("name: x\ndata: {build: recipe.yaml, sources: [{path: datasets/built/*.parquet}]}");
    }

    [Theory]
    [InlineData("max: 1.5", "gates.absolute[0].max")]
    [InlineData("min: -0.1", "gates.absolute[0].min")]
    public void A_gate_threshold_outside_0_1_on_a_rate_is_an_error(string threshold, string key)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.FromYaml<Workbench.Evals.Suites.SuiteConfig>(
            "name: s\nversion: 1\ntasks:\n  - {name: t, level: GoToRedBallGrey, seeds: {start: 0, count: 2}, scorers: [success]}\n" +
            $"gates:\n  absolute:\n    - {{metric: success_rate, {threshold}}}\n"));
        Assert.Contains(e.Problems, p => p.Path == key && p.Message.Contains("outside [0, 1]"));
        ConfigLoader.FromYaml<Workbench.Evals.Suites.SuiteConfig>(
            "name: s\nversion: 1\ntasks:\n  - {name: t, level: GoToRedBallGrey, seeds: {start: 0, count: 2}, scorers: [success]}\n" +
            "gates:\n  absolute:\n    - {metric: success_rate, min: 0.5}\n");
    }

    [Fact]
    public void Missing_required_key_is_an_error()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.FromYaml<ExperimentConfig>("seed: 3\ndata: {sources: [{path: bot:GoToRedBallGrey:4}]}"));
        Assert.Contains(e.Problems, p => p.Path == "name" && p.Message == "missing required key");
    }

    [Fact]
    public void Include_merges_the_base_deeply_and_the_including_file_wins()
    {
        Write("base.yaml", """
            kind: experiment
            name: base
            train: {steps: 10, lr: 0.002}
            data: {sources: [{path: bot:GoToRedBallGrey:4}]}
            """);
        string child = Write("child.yaml", """
            include: base.yaml
            name: child
            train: {steps: 20}
            """);
        var config = ConfigLoader.Load<ExperimentConfig>(child);
        Assert.Equal("child", config.Name);
        Assert.Equal(20, config.Train.Steps);
        Assert.Equal(0.002, config.Train.Lr);
        Assert.Equal("bot:GoToRedBallGrey:4", config.Data.Sources[0].Path);
    }

    [Fact]
    public void Include_cycles_and_missing_bases_are_clear_errors()
    {
        Write("a.yaml", "include: b.yaml\nname: a");
        Write("b.yaml", "include: a.yaml\nname: b");
        var cycle = Assert.Throws<UserError>(() => ConfigLoader.Load<ExperimentConfig>(Path.Combine(_dir, "a.yaml")));
        Assert.Contains("include cycle", cycle.Message);

        string orphan = Write("orphan.yaml", "include: nowhere.yaml\nname: o");
        var missing = Assert.Throws<UserError>(() => ConfigLoader.Load<ExperimentConfig>(orphan));
        Assert.Contains("nowhere.yaml", missing.Message);
        Assert.Contains("file not found", missing.Message);
    }

    [Fact]
    public void Set_overrides_keep_yaml_types_and_are_validated_like_the_file()
    {
        string path = Write("e.yaml", "kind: experiment\nname: e\ndata: {sources: [{path: bot:GoToRedBallGrey:4}]}");
        var config = ConfigLoader.Load<ExperimentConfig>(path, ["train.lr=3e-4", "model.size=small", "data.sources=[{path: bot:GoToRedBall:5, proportion: 2}]"]);
        Assert.Equal(3e-4, config.Train.Lr);
        Assert.Equal("small", config.Model.Size);
        Assert.Equal(("bot:GoToRedBall:5", 2.0), (config.Data.Sources[0].Path, config.Data.Sources[0].Proportion));

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load<ExperimentConfig>(path, ["train.lrr=1"]));
        Assert.Contains(e.Problems, p => p.Path == "train.lrr" && p.Message.Contains("did you mean 'lr'"));
        Assert.Throws<UserError>(() => ConfigLoader.Load<ExperimentConfig>(path, ["no-equals-sign"]));
    }

    [Fact]
    public void Wrong_kind_and_missing_kind_are_errors()
    {
        string wrong = Write("w.yaml", "kind: experimnt\nname: w");
        Assert.Contains("unknown kind 'experimnt'", Assert.Throws<ConfigException>(() => ConfigKinds.Load(wrong)).Message);
        string none = Write("n.yaml", "name: n");
        Assert.Contains("kind: missing", Assert.Throws<ConfigException>(() => ConfigKinds.Load(none)).Message);
    }

    [Fact]
    public void Resolved_yaml_round_trips_to_the_same_config_and_hash()
    {
        string path = Write("r.yaml", "kind: experiment\nname: r\nseed: 9\ndata: {sources: [{path: bot:GoToRedBallGrey:4}]}\ntrain: {lr: 0.0005}");
        var first = ConfigKinds.Load(path);
        string again = Write("r2.yaml", first.ResolvedYaml);
        var second = ConfigKinds.Load(again);
        Assert.Equal(first.ResolvedYaml, second.ResolvedYaml);
        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Equal(0.0005, ((ExperimentConfig)second.Value).Train.Lr);
    }

    [Fact]
    public void Invalid_yaml_names_file_and_line()
    {
        string path = Write("broken.yaml", "name: [unclosed\nseed: 1");
        var e = Assert.Throws<UserError>(() => ConfigKinds.Load(path));
        Assert.Contains("broken.yaml", e.Message);
        Assert.Contains("invalid YAML", e.Message);
        Assert.Contains("line 1, column 7", e.Message);
        Assert.Contains("never closed", e.Message);
    }

    [Theory]
    [InlineData("kind: experiment\nname: x\ntrain:\n  freeze: [a, b\n  steps: 3\n", "line 4, column 11")]
    [InlineData("kind: experiment\nname: x\nmodel: {family: transformer, size: tiny\nseed: 1\n", "line 3, column 8")]
    [InlineData("kind: experiment\nname: \"x\nmodel: 1\n", "line 2")]
    public void Unterminated_lists_mappings_and_quotes_name_the_line_and_column(string yaml, string where)
    {
        var e = Assert.Throws<UserError>(() => ConfigKinds.Load(Write("unterminated.yaml", yaml)));
        Assert.Contains(where, e.Message);
        Assert.DoesNotContain("line unknown", e.Message);
        Assert.DoesNotContain("Operation is not valid", e.Message);
    }
}
