using System.CommandLine;
using Workbench.Config;
using Workbench.Workflows;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench validate FILE</c>: binds and validates a config file without running anything.</summary>
public sealed class ValidateCommand : ICommand
{
    private readonly Argument<string> _file = Declare.Argument("file", "YAML file to check (its kind: key picks the schema)");
    private readonly Option<string[]> _set = Declare.Overrides("override a key before validating, e.g. --set train.lr=3e-4");
    private readonly Option<bool> _print = Declare.Flag("--print", "print the resolved config (defaults spelled out)");

    public string Name => "validate";
    public string Summary => "Check config files (experiments, datasets, eval suites, nightly) without running them";
    public IReadOnlyList<Symbol> Parameters => [_file, _set, _print];

    public int Run(ParseResult parse, CliContext cli)
    {
        var loaded = ConfigKinds.Load(parse.GetValue(_file)!, parse.GetValue(_set));
        if (parse.GetValue(_print)) cli.Out.Write(loaded.ResolvedYaml);
        cli.Out.WriteLine($"{loaded.File}: valid {loaded.Kind} (sha256 {loaded.Sha256[..12]})");
        return ExitCodes.Ok;
    }
}
