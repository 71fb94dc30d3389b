using System.CommandLine;
using Workbench.Envs;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench bench env</c>: single-thread environment throughput (random and bot actions, symbolic and RGB).</summary>
public sealed class BenchEnvCommand : ICommand
{
    private readonly Option<string> _levels = Declare.Text("--levels", "comma-separated levels", string.Join(",", EnvBenchmark.DefaultLevels), "A,B")
        .Suggesting(() => LevelRegistry.Names);
    private readonly Option<double> _seconds = Declare.Number("--seconds", "seconds per measurement row", 1.0, "S");
    private readonly Option<int> _tile = Declare.Number("--tile", "pixels per tile for the RGB rows", 8, "PX");

    public string Name => "bench env";
    public string Summary => "Measure environment steps per second on one thread (run with -c Release)";
    public IReadOnlyList<Symbol> Parameters => [_levels, _seconds, _tile];

    public int Run(ParseResult parse, CliContext cli)
    {
        var levels = parse.GetValue(_levels)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var level in levels) EnvLevelsCommand.CreateLevel(level); // unknown names fail before measuring
        double seconds = parse.GetValue(_seconds);
        if (seconds <= 0) throw new UserError("bench env: --seconds must be positive");
        var rows = EnvBenchmark.Run(levels, seconds, parse.GetValue(_tile));
        cli.Out.Write(EnvBenchmark.Format(rows));
        return ExitCodes.Ok;
    }
}
