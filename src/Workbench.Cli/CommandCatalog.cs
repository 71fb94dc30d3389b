using Workbench.Cli.Commands;

namespace Workbench.Cli;

/// <summary>Every command of the CLI, in the order `workbench --help` lists them (following the data flow).</summary>
public static class CommandCatalog
{
    public static readonly IReadOnlyList<ICommand> All =
    [
        new ValidateCommand(),
        new ConfigDocsCommand(),
        new TrainCommand(),
        new ResumeCommand(),
        new ModelsRegisterCommand(),
        new ModelsListCommand(),
        new EvalCommand(),
        new EvalMergeCommand(),
        new EvalPlanCommand(),
        new CompareCommand(),
        new ReportCommand(),
        new BenchTrainCommand(),
    ];
}
