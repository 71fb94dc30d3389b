using Workbench.Training;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench models register RUN_DIR --name N --version V</c>.</summary>
public sealed class ModelsRegisterCommand : ICommand
{
    public string Name => "models register";
    public string Summary => "Register a run's best checkpoint as name@version in the model registry";
    public IReadOnlyList<ArgumentSpec> Arguments => [new("run-dir", "a finished run directory")];
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("name", "model name, e.g. agent", ValueName: "NAME"),
        new("version", "version label, e.g. v2", ValueName: "VERSION"),
        new("registry", "registry folder", Default: ModelVersions.DefaultRoot, ValueName: "DIR"),
        new("force", "replace an existing name@version", IsFlag: true),
    ];

    public int Run(ParsedArgs args)
    {
        var v = ModelVersions.Register(args.Argument("run-dir"), args.Required("name"), args.Required("version"), args.Option("registry"), args.Flag("force"));
        Console.Out.WriteLine($"registered {v.Reference}: {v.Spec.Family}/{v.Spec.Size} from {v.SourceCheckpoint}");
        Console.Out.WriteLine($"  checkpoint {v.Checkpoint}, config {v.ConfigSha256[..12]}, data {v.DatasetFingerprint ?? "-"}, commit {v.GitCommit ?? "-"}");
        return ExitCodes.Ok;
    }
}
