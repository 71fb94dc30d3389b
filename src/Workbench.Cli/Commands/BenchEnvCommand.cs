using Workbench.Envs;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench bench env</c>: single-thread environment throughput (random and bot actions, symbolic and RGB).</summary>
public sealed class BenchEnvCommand : ICommand
{
    public string Name => "bench env";
    public string Summary => "Measure environment steps per second on one thread (run with -c Release)";
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("levels", "comma-separated levels", Default: string.Join(",", EnvBenchmark.DefaultLevels), ValueName: "A,B"),
        new("seconds", "seconds per measurement row", Default: "1", ValueName: "S"),
        new("tile", "pixels per tile for the RGB rows", Default: "8", ValueName: "PX"),
    ];

    public int Run(ParsedArgs args)
    {
        var levels = (args.Option("levels") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var level in levels) EnvLevelsCommand.CreateLevel(level); // unknown names fail before measuring
        double seconds = args.Double("seconds", 1);
        if (seconds <= 0) throw new UserError("bench env: --seconds must be positive");
        var rows = EnvBenchmark.Run(levels, seconds, args.Int("tile", 8));
        Console.Out.Write(EnvBenchmark.Format(rows));
        return ExitCodes.Ok;
    }
}
