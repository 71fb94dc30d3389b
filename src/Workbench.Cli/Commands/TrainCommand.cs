using Workbench.Training;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench train EXPERIMENT.yaml</c>: behaviour cloning into a new run directory.</summary>
public sealed class TrainCommand : ICommand
{
    public string Name => "train";
    public string Summary => "Train from a config (an agent: kind experiment; an image tower: kind image_classifier) into runs/<name>/<id>/";
    public IReadOnlyList<ArgumentSpec> Arguments => [new("experiment", $"config YAML (kind: {string.Join(" | ", TrainingRecipes.Kinds)})")];
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("set", "override a key, e.g. --set train.steps=200", Repeatable: true, ValueName: "KEY=VALUE"),
        new("runs", "root folder of run directories", Default: "runs", ValueName: "DIR"),
        new("registry", "model registry folder (for init_from name@version)", Default: ModelVersions.DefaultRoot, ValueName: "DIR"),
        new("stop-after", "stop with a resumable checkpoint after this many steps", ValueName: "STEPS"),
        new("quiet", "no progress bar", IsFlag: true),
    ];

    public int Run(ParsedArgs args)
    {
        var config = TrainingRecipes.Load(args.Argument("experiment"), args.Options("set"));
        var options = new BehaviourCloningRecipe.Options
        {
            RunsRoot = args.Option("runs")!, RegistryRoot = args.Option("registry"), ShowProgress = !args.Flag("quiet"),
            StopAfterStep = args.Option("stop-after") is null ? null : args.Int("stop-after", 0),
        };
        return TrainOutput.Run(() => TrainingRecipes.Start(config, options));
    }
}

/// <summary>Shared by train and resume: runs the recipe and prints where the results are.</summary>
internal static class TrainOutput
{
    public static int Run(Func<ITrainingRun> setup)
    {
        using var recipe = setup();
        try
        {
            var result = recipe.Train();
            Console.Out.WriteLine($"run: {result.RunDir}");
            Console.Out.WriteLine($"status: {result.Status} after {result.StepsCompleted} steps");
            foreach (var (k, v) in result.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal)) Console.Out.WriteLine($"  {k}: {v:0.####}");
            if (result.BestCheckpoint != null) Console.Out.WriteLine($"best checkpoint: {result.BestCheckpoint}");
            if (result.LastCheckpoint != null) Console.Out.WriteLine($"last checkpoint: {result.LastCheckpoint}");
            if (result.Status == "stopped") Console.Out.WriteLine($"resume with: workbench resume {result.RunDir}");
            return ExitCodes.Ok;
        }
        catch (TrainingDivergedException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.CheckFailed;
        }
    }
}
