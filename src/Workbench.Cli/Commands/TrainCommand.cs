using Workbench.Config;
using Workbench.Distributed;
using Workbench.Training;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench train EXPERIMENT.yaml</c>: behaviour cloning into a new run directory.</summary>
public sealed class TrainCommand : ICommand
{
    public string Name => "train";
    public string Summary => "Train an agent model from an experiment config into runs/<experiment>/<id>/";
    public IReadOnlyList<ArgumentSpec> Arguments => [new("experiment", "experiment YAML (kind: experiment)")];
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("set", "override a key, e.g. --set train.steps=200", Repeatable: true, ValueName: "KEY=VALUE"),
        new("runs", "root folder of run directories", Default: "runs", ValueName: "DIR"),
        new("registry", "model registry folder (for init_from name@version)", Default: ModelVersions.DefaultRoot, ValueName: "DIR"),
        new("stop-after", "stop with a resumable checkpoint after this many steps", ValueName: "STEPS"),
        new("quiet", "no progress bar", IsFlag: true),
    ];

    /// <remarks>Under <c>mpirun -np N</c> / <c>srun</c> every rank runs this command: data-parallel training (see RankedRun).</remarks>
    public int Run(ParsedArgs args) => RankedRun.Run(world =>
    {
        var config = world.Agree(() => ConfigLoader.LoadAs(typeof(ExperimentConfig), args.Argument("experiment"), args.Options("set")));
        var options = new BehaviourCloningRecipe.Options
        {
            RunsRoot = args.Option("runs")!, RegistryRoot = args.Option("registry"), ShowProgress = !args.Flag("quiet"),
            StopAfterStep = args.Option("stop-after") is null ? null : args.Int("stop-after", 0), World = world,
        };
        return TrainOutput.Run(() => BehaviourCloningRecipe.Start(config, options), world);
    });
}

/// <summary>Shared by train and resume: runs the recipe and prints (on rank 0) where the results are.</summary>
internal static class TrainOutput
{
    public static int Run(Func<BehaviourCloningRecipe> setup, ICollective world)
    {
        using var recipe = setup();
        try
        {
            var result = recipe.Train();
            if (!world.IsRoot) return ExitCodes.Ok;
            Console.Out.WriteLine($"run: {result.RunDir}");
            Console.Out.WriteLine($"status: {result.Status} after {result.StepsCompleted} steps");
            foreach (var (k, v) in result.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal)) Console.Out.WriteLine($"  {k}: {v:0.####}");
            if (result.BestCheckpoint != null) Console.Out.WriteLine($"best checkpoint: {result.BestCheckpoint}");
            if (result.LastCheckpoint != null) Console.Out.WriteLine($"last checkpoint: {result.LastCheckpoint}");
            if (result.Status == "stopped") Console.Out.WriteLine($"resume with: {(world.Size > 1 ? $"mpirun -np {world.Size} " : "")}workbench resume {result.RunDir}");
            return ExitCodes.Ok;
        }
        catch (TrainingDivergedException e)
        {
            if (world.IsRoot) Console.Error.WriteLine($"error: {e.Message}"); // every rank sees the same summed gradients
            return ExitCodes.CheckFailed;
        }
    }
}
