using System.CommandLine;
using Workbench.Config;
using Workbench.Training;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench train EXPERIMENT.yaml</c>: behaviour cloning into a new run directory.</summary>
public sealed class TrainCommand : ICommand
{
    private readonly Argument<string> _experiment = Declare.Argument("experiment", "experiment YAML (kind: experiment)");
    private readonly Option<string[]> _set = Declare.Overrides("override a key, e.g. --set train.steps=200");
    private readonly Option<string> _runs = Declare.Text("--runs", "root folder of run directories", "runs", "DIR");
    private readonly Option<string> _registry = TrainOutput.RegistryOption();
    private readonly Option<int?> _stopAfter = TrainOutput.StopAfterOption();
    private readonly Option<bool> _quiet = TrainOutput.QuietOption();

    public string Name => "train";
    public string Summary => "Train an agent model from an experiment config into runs/<experiment>/<id>/";
    public IReadOnlyList<Symbol> Parameters => [_experiment, _set, _runs, _registry, _stopAfter, _quiet];

    public int Run(ParseResult parse, CliContext cli)
    {
        var config = ConfigLoader.LoadAs(typeof(ExperimentConfig), parse.GetValue(_experiment)!, parse.GetValue(_set));
        var options = new BehaviourCloningRecipe.Options
        {
            RunsRoot = parse.GetValue(_runs)!, RegistryRoot = parse.GetValue(_registry), ShowProgress = !parse.GetValue(_quiet),
            StopAfterStep = parse.GetValue(_stopAfter), ProgressWriter = cli.Error,
        };
        return TrainOutput.Run(() => BehaviourCloningRecipe.Start(config, options), cli);
    }
}

/// <summary>Shared by train and resume: their common options, and running the recipe and printing where the results are.</summary>
internal static class TrainOutput
{
    public static Option<string> RegistryOption() =>
        Declare.Text("--registry", "model registry folder (for init_from name@version)", ModelVersions.DefaultRoot, "DIR");

    public static Option<int?> StopAfterOption() => Declare.OptionalNumber<int>("--stop-after", "stop with a resumable checkpoint after this many steps", "STEPS");

    public static Option<bool> QuietOption() => Declare.Flag("--quiet", "no progress bar");

    public static int Run(Func<BehaviourCloningRecipe> setup, CliContext cli)
    {
        using var recipe = setup();
        try
        {
            var result = recipe.Train();
            cli.Out.WriteLine($"run: {result.RunDir}");
            cli.Out.WriteLine($"status: {result.Status} after {result.StepsCompleted} steps");
            foreach (var (k, v) in result.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal)) cli.Out.WriteLine($"  {k}: {v:0.####}");
            if (result.BestCheckpoint != null) cli.Out.WriteLine($"best checkpoint: {result.BestCheckpoint}");
            if (result.LastCheckpoint != null) cli.Out.WriteLine($"last checkpoint: {result.LastCheckpoint}");
            if (result.Status == "stopped") cli.Out.WriteLine($"resume with: workbench resume {result.RunDir}");
            return ExitCodes.Ok;
        }
        catch (TrainingDivergedException e)
        {
            cli.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.CheckFailed;
        }
    }
}
