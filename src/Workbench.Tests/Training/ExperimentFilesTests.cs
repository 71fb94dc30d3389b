using Workbench.Config;
using Workbench.Envs;
using Workbench.Training;
using Workbench.Workflows;

namespace Workbench.Tests.Training;

/// <summary>Every shipped experiment config binds and validates, and says how to run it.</summary>
[Collection(TorchCollection.Name)]
public class ExperimentFilesTests
{
    // Sweep files (kind: sweep) live beside their base experiments; Workflows/SweepPlanTests checks them.
    private static List<string> Files() =>
        Directory.GetFiles(Path.Combine(RepoRoot.Path, "experiments"), "*.yaml", SearchOption.AllDirectories)
            .Where(f => !File.ReadLines(f).Any(l => l.Trim() == "kind: sweep"))
            .Select(f => Path.GetRelativePath(RepoRoot.Path, f)).Order().ToList();

    public static TheoryData<string> ExperimentFiles() => new(Files());

    [Theory, MemberData(nameof(ExperimentFiles))]
    public void ShippedExperimentValidatesAndHasARunHeader(string file)
    {
        string path = Path.Combine(RepoRoot.Path, file);
        using var _ = ConfigPaths.RelativeTo(RepoRoot.Path); // paths in configs are relative to where users run the CLI
        var loaded = ConfigKinds.Load(path);
        Assert.Contains(loaded.Kind, TrainingRecipes.Kinds);                // everything under experiments/ is trainable
        Assert.Matches(@"(?m)^# Run[^\n]*: .*(workbench|dotnet run)", File.ReadAllText(path)); // a header saying how to run it
        if (loaded.Value is ImageClassifierConfig classifier)
        {
            // The tower it pretrains exists in the named agent architecture.
            using var tower = new ImageClassifier(classifier.Model.ToSpec(), FashionMnist.ClassCount);
            return;
        }
        var experiment = (ExperimentConfig)loaded.Value;
        if (Path.GetDirectoryName(file) == "experiments") // top-level files are named like their experiment (runs/<name>/)
            Assert.Equal(Path.GetFileNameWithoutExtension(file), experiment.Name);
        Assert.All(experiment.Train.Rollout.Levels, level => Assert.True(
            LevelRegistry.Names.Contains(level), $"unknown level {level}"));

        // A dataset config, when named, exists and is a dataset config.
        if (experiment.Data.Build is { } recipe)
            Assert.Equal("dataset", ConfigKinds.Load(Path.Combine(RepoRoot.Path, recipe)).Kind);

        // Freeze globs and LoRA targets name real parameters / layers of the configured model.
        using var model = Workbench.Models.ModelArchitectures.Create(experiment.Model.ToSpec());
        Finetuning.Freeze(model, experiment.Train.Freeze);
        if (experiment.Train.Lora.Rank > 0) Finetuning.ApplyLora(model, experiment.Train.Lora);
    }

    [Fact]
    public void NoShippedTrainingDataUsesAHeldOutSafetyFamily()
    {
        // Held-out families exist to measure generalisation; training on one (bot: sources, dataset configs, rollout
        // levels used to pick checkpoints) would turn the measurement back into memory.
        using var _ = ConfigPaths.RelativeTo(RepoRoot.Path);
        foreach (string file in Files())
        {
            if (ConfigKinds.Load(Path.Combine(RepoRoot.Path, file)).Value is not ExperimentConfig experiment) continue; // image classifiers play no levels
            var levels = experiment.Data.Sources.Where(EpisodeSources.IsGenerated).Select(s => s.Path.Split(':')[1])
                .Concat(experiment.Train.Rollout.Levels);
            if (experiment.Data.Build is { } recipe)
                levels = levels.Concat(((Workbench.Data.DatasetConfig)ConfigKinds.Load(Path.Combine(RepoRoot.Path, recipe)).Value).Levels);
            Assert.All(levels, level => Assert.False(LevelRegistry.IsHeldOut(level), $"{file} trains on held-out family {level}"));
        }
        foreach (string recipe in Directory.GetFiles(Path.Combine(RepoRoot.Path, "datasets"), "*.yaml"))
            Assert.All(((Workbench.Data.DatasetConfig)ConfigKinds.Load(recipe).Value).Levels,
                level => Assert.False(LevelRegistry.IsHeldOut(level), $"{recipe} builds held-out family {level}"));
        var finetune = (ExperimentConfig)ConfigKinds.Load(Path.Combine(RepoRoot.Path, "experiments/safety-refusal-finetune.yaml")).Value;
        Assert.Contains("bot:HarmfulLava:", string.Join(" ", finetune.Data.Sources.Select(s => s.Path)));
    }

    [Fact]
    public void ThereIsAnExperimentForEachShippedQuestion()
    {
        var names = Files().Select(Path.GetFileNameWithoutExtension).ToHashSet();
        foreach (var expected in new[] { "smoke", "bc-gotoredballgrey-film", "bc-gotoredballgrey-transformer", "bc-gotoredball-film",
                     "bc-gotoredball-transformer", "bc-gotolocal-film", "bc-gotolocal-transformer", "lora-gotolocal-to-pickuploc", "safety-refusal-finetune",
                     "bc-fashiongoto-pixels-transformer", "bc-fashiongoto-pixels-film", "bc-fashiongoto-symbolic-transformer",
                     "bc-fashiongoto-pixels-pretrained-frozen", "bc-fashiongoto-pixels-pretrained-finetune", "bc-fashiongoto-pixels-pretrained-lora",
                     "bc-gotoredballgrey-pixels", "bc-gotoredballgrey-symbolic", "bc-gotolocal-pixels", "bc-gotolocal-symbolic",
                     "fashion-tower-tiny-t8", "fashion-tower-tiny-t16", "bc-gotolocal-held-out-combos", "safety-refusal-finetune-varied" })
            Assert.Contains(expected, names);
    }

    [Fact]
    public void UnknownModelFamilyIsReportedWithItsPath()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.FromYaml<ExperimentConfig>("name: x\ndata: {sources: [{path: a}]}\nmodel: {family: gpt, size: tiny}\ntrain: {lora: {rank: 4}}"));
        Assert.Contains(e.Problems, p => p.Path == "model.family" && p.Message.Contains("transformer"));
        Assert.Contains(e.Problems, p => p.Path == "train.lora.rank");
    }
}
