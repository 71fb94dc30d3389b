using System.CommandLine;
using System.Text.Json;
using Workbench.Data;
using Workbench.Runtime;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench bench data PATH</c>: the loader against ParquetSharp on the same files, and its peak memory at 1× and 10× (<see cref="DataBenchmark"/>).</summary>
public sealed class BenchDataCommand : ICommand
{
    private readonly Argument<string> _path = Declare.Argument("path", "dataset file, folder or glob", "datasets/gotoredballgrey");
    private readonly Option<int?> _threads = Declare.OptionalNumber<int>("--threads", "loader decode threads (default: the loader's)", "N");
    private readonly Option<int?> _prefetch = Declare.OptionalNumber<int>("--prefetch", "loader prefetch depth in row groups (default: the loader's)", "N");
    private readonly Option<int> _repeat = Declare.Number("--repeat", "timed rounds (the best of each reader is reported); with --rss also the fresh processes per size (the median is reported)", 5, "N");
    private readonly Option<bool> _rss = Declare.Flag("--rss", "also measure the loader's peak resident memory over the files (1x) and over them listed ten times (10x), each in --repeat fresh processes");
    private readonly Option<int?> _rssChild = Declare.OptionalNumber<int>("--rss-child", "(internal) print the peak memory of one loader epoch over the files listed N times, as JSON", "N");

    public string Name => "bench data";
    public string Summary => "Measure the data loader's MB/s and rows/s against ParquetSharp reading the same files (and its peak memory with --rss)";
    public IReadOnlyList<Symbol> Parameters => [_path, _threads, _prefetch, _repeat, _rss, _rssChild];

    public int Run(ParseResult parse, CliContext cli)
    {
        string path = parse.GetValue(_path)!;
        if (parse.GetValue(_rssChild) is { } repeat)
        {
            cli.Out.WriteLine(JsonSerializer.Serialize(DataBenchmark.LoaderMemory(path, repeat)));
            return ExitCodes.Ok;
        }
        var defaults = new LoaderOptions();
        var settings = new DataBenchmarkSettings(path, parse.GetValue(_threads) ?? defaults.DecodeThreads, parse.GetValue(_prefetch) ?? defaults.Prefetch,
            Math.Max(1, parse.GetValue(_repeat)));
        cli.Out.Write(DataBenchmark.Run(settings, cli.Error).Format());
        if (parse.GetValue(_rss))
            cli.Out.Write(DataBenchmark.MemoryScaling(n =>
                JsonSerializer.Deserialize<LoaderMemoryMeasure>(SelfProcess.Run(["bench", "data", path, "--rss-child", $"{n}"]).Trim().Split('\n')[^1])!,
                settings.Repeat).Format());
        return ExitCodes.Ok;
    }
}
