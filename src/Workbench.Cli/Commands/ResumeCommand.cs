using System.CommandLine;
using Workbench.Training;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench resume RUN_DIR</c>: continue an interrupted run from its latest checkpoint.</summary>
public sealed class ResumeCommand : ICommand
{
    private readonly Argument<string> _runDir = Declare.Argument("run-dir", "a run directory, e.g. runs/smoke/20260101-120000-a1b2c3");
    private readonly Option<string> _registry = TrainOutput.RegistryOption();
    private readonly Option<int?> _stopAfter = TrainOutput.StopAfterOption();
    private readonly Option<bool> _quiet = TrainOutput.QuietOption();

    public string Name => "resume";
    public string Summary => "Continue a training run from its latest checkpoint (same result as never stopping)";
    public IReadOnlyList<Symbol> Parameters => [_runDir, _registry, _stopAfter, _quiet];

    /// <remarks>Under mpirun / srun every rank of the run that wrote the checkpoint runs this command.</remarks>
    public int Run(ParseResult parse, CliContext cli) => RankedRun.Run(parse, cli, world =>
    {
        var options = new BehaviourCloningRecipe.Options
        {
            RegistryRoot = parse.GetValue(_registry), ShowProgress = !parse.GetValue(_quiet),
            StopAfterStep = parse.GetValue(_stopAfter), ProgressWriter = cli.Error, World = world,
        };
        return TrainOutput.Run(() => TrainingRecipes.Resume(parse.GetValue(_runDir)!, options), cli, world);
    });
}
