using Workbench.Cli.Commands;

namespace Workbench.Cli;

/// <summary>
/// Every command of the CLI, in the order `workbench --help` lists them (following the data flow). The parser
/// (<see cref="CommandTree"/>), the help and the tests are all made from this list.
/// </summary>
public static class CommandCatalog
{
    public static readonly IReadOnlyList<ICommand> All =
    [
        new QuickstartCommand(),
        new ValidateCommand(),
        new ConfigDocsCommand(),
        new EnvLevelsCommand(),
        new EnvShowCommand(),
        new EnvPlayCommand(),
        new DataBuildCommand(),
        new DataImportFashionMnistCommand(),
        new DataInspectCommand(),
        new DataVerifyCommand(),
        new TrainCommand(),
        new ResumeCommand(),
        new ModelsRegisterCommand(),
        new ModelsListCommand(),
        new EvalCommand(),
        new EvalMergeCommand(),
        new EvalPlanCommand(),
        new CompareCommand(),
        new ReportCommand(),
        new NightlyCommand(),
        new BenchEnvCommand(),
        new BenchDataCommand(),
        new BenchTrainCommand(),
        new CompletionBashCommand(),
    ];
}
