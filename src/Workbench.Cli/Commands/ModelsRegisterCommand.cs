using System.CommandLine;
using Workbench.Training;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench models register RUN_DIR --name N --version V</c>.</summary>
public sealed class ModelsRegisterCommand : ICommand
{
    private readonly Argument<string> _runDir = Declare.Argument("run-dir", "a finished run directory");
    private readonly Option<string> _name = Declare.RequiredText("--name", "model name, e.g. agent", "NAME");
    private readonly Option<string> _version = Declare.RequiredText("--version", "version label, e.g. v2", "VERSION");
    private readonly Option<string> _registry = Declare.Text("--registry", "registry folder", ModelVersions.DefaultRoot, "DIR");
    private readonly Option<bool> _force = Declare.Flag("--force", "replace an existing name@version");

    public string Name => "models register";
    public string Summary => "Register a run's best checkpoint as name@version in the model registry";
    public IReadOnlyList<Symbol> Parameters => [_runDir, _name, _version, _registry, _force];

    public int Run(ParseResult parse, CliContext cli)
    {
        var v = ModelVersions.Register(parse.GetValue(_runDir)!, parse.GetValue(_name)!, parse.GetValue(_version)!, parse.GetValue(_registry), parse.GetValue(_force));
        cli.Out.WriteLine($"registered {v.Reference}: {v.Spec.Family}/{v.Spec.Size} from {v.SourceCheckpoint}");
        cli.Out.WriteLine($"  checkpoint {v.Checkpoint}, config {v.ConfigSha256[..12]}, data {v.DatasetFingerprint ?? "-"}, commit {v.GitCommit ?? "-"}");
        return ExitCodes.Ok;
    }
}
