using Workbench.Data;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench bench data PATH</c>: the loader against ParquetSharp on the same files (<see cref="DataBenchmark"/>).</summary>
public sealed class BenchDataCommand : ICommand
{
    public string Name => "bench data";
    public string Summary => "Measure the data loader's MB/s and rows/s against ParquetSharp reading the same files";
    public IReadOnlyList<ArgumentSpec> Arguments => [new("path", "dataset file, folder or glob (default datasets/gotoredballgrey)", Required: false)];
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("threads", "loader decode threads (default: the loader's)", ValueName: "N"),
        new("prefetch", "loader prefetch depth in row groups (default: the loader's)", ValueName: "N"),
        new("repeat", "timed rounds (the best of each reader is reported)", Default: "5", ValueName: "N"),
    ];

    public int Run(ParsedArgs args)
    {
        var defaults = new LoaderOptions();
        var settings = new DataBenchmarkSettings(args.OptionalArgument("path") ?? "datasets/gotoredballgrey",
            args.Int("threads", defaults.DecodeThreads), args.Int("prefetch", defaults.Prefetch), args.Int("repeat", 5));
        Console.Out.Write(DataBenchmark.Run(settings, Console.Error).Format());
        return ExitCodes.Ok;
    }
}
