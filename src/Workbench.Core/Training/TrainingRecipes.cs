using Workbench.Config;

namespace Workbench.Training;

/// <summary>A set-up training run: <see cref="Train"/> runs it to the end (or a stop) and says how it ended.</summary>
public interface ITrainingRun : IDisposable
{
    TrainResult Train();
}

/// <summary>
/// The trainable config kinds and the recipe of each, by record type: <c>experiment</c> → behaviour cloning,
/// <c>image_classifier</c> → the image-tower classifier. <c>workbench train</c> starts whatever kind the file is, and
/// <c>workbench resume</c> continues a run by the kind its config.yaml holds.
/// </summary>
public static class TrainingRecipes
{
    private sealed record Recipe(Func<LoadedConfig, BehaviourCloningRecipe.Options, ITrainingRun> Start, Func<string, BehaviourCloningRecipe.Options, ITrainingRun> Resume);

    private static readonly Dictionary<Type, Recipe> Recipes = new()
    {
        [typeof(ExperimentConfig)] = new((c, o) => BehaviourCloningRecipe.Start(c, o), (d, o) => BehaviourCloningRecipe.Resume(d, o)),
        [typeof(ImageClassifierConfig)] = new((c, o) => ImageClassifierRecipe.Start(c, o), (d, o) => ImageClassifierRecipe.Resume(d, o)),
    };

    private static readonly Dictionary<string, Type> ByKind = Recipes.Keys.ToDictionary(ConfigKindAttribute.Of);

    /// <summary>The kinds <c>workbench train</c> accepts.</summary>
    public static IReadOnlyCollection<string> Kinds => ByKind.Keys;

    /// <summary>Loads a file of any trainable kind (its <c>kind:</c> picks the record type).</summary>
    public static LoadedConfig Load(string path, IEnumerable<string>? overrides = null) => ConfigLoader.LoadAny(path, ByKind, overrides);

    public static ITrainingRun Start(LoadedConfig config, BehaviourCloningRecipe.Options options) => For(config).Start(config, options);

    /// <summary>Continues <paramref name="runDir"/> with the recipe of the kind its config.yaml holds.</summary>
    public static ITrainingRun Resume(string runDir, BehaviourCloningRecipe.Options options)
    {
        var run = RunDirectory.Open(runDir);
        return For(Load(run.ConfigPath)).Resume(runDir, options);
    }

    private static Recipe For(LoadedConfig config) =>
        Recipes.TryGetValue(config.Value.GetType(), out var recipe) ? recipe
            : throw new UserError($"{config.File} is a '{config.Kind}' file; workbench train takes kind: " +
                                  string.Join(" | ", Recipes.Keys.Select(ConfigKindAttribute.Of)));
}
