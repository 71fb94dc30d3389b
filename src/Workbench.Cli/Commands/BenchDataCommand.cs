using System.Text.Json;
using Workbench.Data;
using Workbench.Runtime;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench bench data PATH</c>: the loader against ParquetSharp on the same files, and its peak memory at 1× and 10× (<see cref="DataBenchmark"/>).</summary>
public sealed class BenchDataCommand : ICommand
{
    public string Name => "bench data";
    public string Summary => "Measure the data loader's MB/s and rows/s against ParquetSharp reading the same files (and its peak memory with --rss)";
    public IReadOnlyList<ArgumentSpec> Arguments => [new("path", "dataset file, folder or glob (default datasets/gotoredballgrey)", Required: false)];
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("threads", "loader decode threads (default: the loader's)", ValueName: "N"),
        new("prefetch", "loader prefetch depth in row groups (default: the loader's)", ValueName: "N"),
        new("repeat", "timed rounds (the best of each reader is reported)", Default: "5", ValueName: "N"),
        new("rss", "also measure the loader's peak resident memory over the files (1x) and over them listed ten times (10x), each in a fresh process", IsFlag: true),
        new("rss-child", "(internal) print the peak memory of one loader epoch over the files listed N times, as JSON", ValueName: "N"),
    ];

    public int Run(ParsedArgs args)
    {
        string path = args.OptionalArgument("path") ?? "datasets/gotoredballgrey";
        if (args.Option("rss-child") is not null)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(DataBenchmark.LoaderMemory(path, args.Int("rss-child", 1))));
            return ExitCodes.Ok;
        }
        var defaults = new LoaderOptions();
        var settings = new DataBenchmarkSettings(path, args.Int("threads", defaults.DecodeThreads), args.Int("prefetch", defaults.Prefetch), args.Int("repeat", 5));
        Console.Out.Write(DataBenchmark.Run(settings, Console.Error).Format());
        if (args.Flag("rss"))
            Console.Out.Write(DataBenchmark.MemoryScaling(repeat =>
                JsonSerializer.Deserialize<LoaderMemoryMeasure>(SelfProcess.Run(["bench", "data", path, "--rss-child", $"{repeat}"]).Trim().Split('\n')[^1])!).Format());
        return ExitCodes.Ok;
    }
}
