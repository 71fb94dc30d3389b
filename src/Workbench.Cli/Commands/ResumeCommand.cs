using Workbench.Training;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench resume RUN_DIR</c>: continue an interrupted run from its latest checkpoint.</summary>
public sealed class ResumeCommand : ICommand
{
    public string Name => "resume";
    public string Summary => "Continue a training run from its latest checkpoint (same result as never stopping)";
    public IReadOnlyList<ArgumentSpec> Arguments => [new("run-dir", "a run directory, e.g. runs/smoke/20260101-120000-a1b2c3")];
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("registry", "model registry folder (for init_from name@version)", Default: ModelVersions.DefaultRoot, ValueName: "DIR"),
        new("stop-after", "stop with a resumable checkpoint after this many steps", ValueName: "STEPS"),
        new("quiet", "no progress bar", IsFlag: true),
    ];

    public int Run(ParsedArgs args)
    {
        var options = new BehaviourCloningRecipe.Options
        {
            RegistryRoot = args.Option("registry"), ShowProgress = !args.Flag("quiet"),
            StopAfterStep = args.Option("stop-after") is null ? null : args.Int("stop-after", 0),
        };
        return TrainOutput.Run(() => TrainingRecipes.Resume(args.Argument("run-dir"), options));
    }
}
