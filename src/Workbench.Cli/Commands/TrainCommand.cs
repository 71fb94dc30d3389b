using System.CommandLine;
using Workbench.Distributed;
using Workbench.Training;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench train CONFIG.yaml</c>: the recipe of the file's kind (behaviour cloning, image-tower classifier) into a new run directory.</summary>
public sealed class TrainCommand : ICommand
{
    private readonly Argument<string> _experiment = Declare.Argument("experiment", $"config YAML (kind: {string.Join(" | ", TrainingRecipes.Kinds)})");
    private readonly Option<string[]> _set = Declare.Overrides("override a key, e.g. --set train.steps=200");
    private readonly Option<string> _runs = Declare.Text("--runs", "root folder of run directories", "runs", "DIR");
    private readonly Option<string> _registry = TrainOutput.RegistryOption();
    private readonly Option<int?> _stopAfter = TrainOutput.StopAfterOption();
    private readonly Option<bool> _quiet = TrainOutput.QuietOption();

    public string Name => "train";
    public string Summary => "Train from a config (an agent: kind experiment; an image tower: kind image_classifier) into runs/<name>/<id>/";
    public IReadOnlyList<Symbol> Parameters => [_experiment, _set, _runs, _registry, _stopAfter, _quiet];

    /// <remarks>Under <c>mpirun -np N</c> / <c>srun</c> every rank runs this command: data-parallel training (see RankedRun).</remarks>
    public int Run(ParseResult parse, CliContext cli) => RankedRun.Run(parse, cli, world =>
    {
        var config = world.Agree(() => TrainingRecipes.Load(parse.GetValue(_experiment)!, parse.GetValue(_set)));
        var options = new BehaviourCloningRecipe.Options
        {
            RunsRoot = parse.GetValue(_runs)!, RegistryRoot = parse.GetValue(_registry), ShowProgress = !parse.GetValue(_quiet),
            StopAfterStep = parse.GetValue(_stopAfter), ProgressWriter = cli.Error, World = world,
        };
        return TrainOutput.Run(() => TrainingRecipes.Start(config, options), cli, world);
    });
}

/// <summary>Shared by train and resume: their common options, and running the recipe and printing (on rank 0) where the results are.</summary>
internal static class TrainOutput
{
    public static Option<string> RegistryOption() =>
        Declare.Text("--registry", "model registry folder (for init_from name@version)", ModelVersions.DefaultRoot, "DIR");

    public static Option<int?> StopAfterOption() => Declare.OptionalNumber<int>("--stop-after", "stop with a resumable checkpoint after this many steps", "STEPS");

    public static Option<bool> QuietOption() => Declare.Flag("--quiet", "no progress bar");

    public static int Run(Func<ITrainingRun> setup, CliContext cli, ICollective world)
    {
        using var recipe = setup();
        try
        {
            var result = recipe.Train();
            if (!world.IsRoot) return ExitCodes.Ok;
            cli.Out.WriteLine($"run: {result.RunDir}");
            cli.Out.WriteLine($"status: {result.Status} after {result.StepsCompleted} steps");
            foreach (var (k, v) in result.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal)) cli.Out.WriteLine($"  {k}: {v:0.####}");
            if (result.BestCheckpoint != null) cli.Out.WriteLine($"best checkpoint: {result.BestCheckpoint}");
            if (result.LastCheckpoint != null) cli.Out.WriteLine($"last checkpoint: {result.LastCheckpoint}");
            if (result.Status == "stopped") cli.Out.WriteLine($"resume with: {(world.Size > 1 ? $"mpirun -np {world.Size} " : "")}workbench resume {result.RunDir}");
            return ExitCodes.Ok;
        }
        catch (TrainingDivergedException e)
        {
            if (world.IsRoot) cli.Error.WriteLine($"error: {e.Message}"); // every rank sees the same summed gradients
            return ExitCodes.CheckFailed;
        }
    }
}
