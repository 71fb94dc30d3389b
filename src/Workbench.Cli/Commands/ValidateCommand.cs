using Workbench.Config;
using Workbench.Workflows;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench validate FILE...</c>: binds and validates config files without running anything.</summary>
public sealed class ValidateCommand : ICommand
{
    public string Name => "validate";
    public string Summary => "Check config files (experiments, datasets, eval suites, nightly) without running them";
    public IReadOnlyList<ArgumentSpec> Arguments => [new("file", "YAML file to check (its kind: key picks the schema)")];
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("set", "override a key before validating, e.g. --set train.lr=3e-4", Repeatable: true, ValueName: "KEY=VALUE"),
        new("print", "print the resolved config (defaults spelled out)", IsFlag: true),
    ];

    public int Run(ParsedArgs args)
    {
        var loaded = ConfigKinds.Load(args.Argument("file"), args.Options("set"));
        if (args.Flag("print")) Console.Out.Write(loaded.ResolvedYaml);
        Console.Out.WriteLine($"{loaded.File}: valid {loaded.Kind} (sha256 {loaded.Sha256[..12]})");
        return ExitCodes.Ok;
    }
}
