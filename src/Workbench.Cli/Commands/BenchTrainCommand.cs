using System.CommandLine;
using Workbench.Distributed;
using Workbench.Envs;
using Workbench.Training;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench bench train</c>: BC training steps of a model on CPU (samples/s, step split, data wait, FLOP/s against the
/// measured matmul peak) and the same model and batch in PyTorch eager (<see cref="TrainBenchmark"/>, <see cref="PyTorchPeer"/>).
/// Data parallel (<see cref="BenchTrainRanks"/>): <c>--ranks 1,2</c> runs it under <c>mpirun -np N</c> for each N and
/// prints samples/s per rank, scaling efficiency and the all-reduce share; under mpirun itself it measures that world.
/// </summary>
public sealed class BenchTrainCommand : ICommand
{
    private readonly Option<string> _family = Declare.Text("--family", "model family", "transformer", "NAME").Suggesting(() => Models.ModelArchitectures.FamilyNames);
    private readonly Option<string> _size = Declare.Text("--size", "size preset", "tiny", "SIZE")
        .Suggesting(() => Models.ModelArchitectures.All.Select(m => m.Size).Distinct());
    private readonly Option<ObservationModality> _observation = Declare.Choice("--observation", "what the model reads", ObservationModality.Symbolic);
    private readonly Option<int> _tile = Declare.Number("--tile", "pixels per cell for --observation rgb", 8, "PX");
    private readonly Option<string?> _data = Declare.OptionalText("--data", "stream the batches from this dataset through the loader (default: random episodes)", "PATH");
    private readonly Option<int> _episodes = Declare.Number("--episodes", "episodes per batch", 16, "N");
    private readonly Option<int> _steps = Declare.Number("--steps", "steps per random episode (fixed length)", 16, "N");
    private readonly Option<int> _iterations = Declare.Number("--iterations", "timed iterations", 20, "N");
    private readonly Option<int> _threads = Declare.Number("--threads", "torch threads per process (both sides; with --ranks the default is cores ÷ the largest rank count)", 2, "N");
    private readonly Option<int[]> _ranks = Declare.Parsed("--ranks", "compare data-parallel world sizes, e.g. 1,2: runs this benchmark under mpirun -np N for each", "LIST", BenchTrainRanks.Parse);
    private readonly Option<bool> _json = Declare.Flag("--json", "print the figures as one JSON line (data-parallel runs)");
    private readonly Option<string?> _python = Declare.OptionalText("--python",
        "python with torch for the peer (default: the first of python3, /usr/bin/python3 that imports torch); 'none' skips it", "EXE");

    public string Name => "bench train";
    public string Summary => "Benchmark training steps (samples/s, time split, data wait, FLOP/s vs the matmul peak) against a PyTorch eager peer";
    public IReadOnlyList<Symbol> Parameters => [_family, _size, _observation, _tile, _data, _episodes, _steps, _iterations, _threads, _ranks, _json, _python];

    public int Run(ParseResult parse, CliContext cli)
    {
        int[]? ranks = parse.WasGiven(_ranks) ? parse.GetValue(_ranks) : null;
        int threads = ranks is not null && !parse.WasGiven(_threads) ? Math.Max(1, Environment.ProcessorCount / ranks.Max()) : parse.GetValue(_threads);
        var observation = parse.GetValue(_observation) == ObservationModality.Rgb ? ObservationSpec.Rgb(CheckedTile(parse.GetValue(_tile))) : ObservationSpec.Symbolic;
        var s = new TrainBenchmarkSettings(parse.GetValue(_family)!, parse.GetValue(_size)!, parse.GetValue(_episodes), parse.GetValue(_steps),
            Iterations: parse.GetValue(_iterations), Threads: threads, Observation: observation, DataPath: parse.GetValue(_data));
        if ((Models.ModelArchitectures.Problem(s.Family, s.Size) ?? Models.ModelArchitectures.ModalityProblem(s.Family, observation.Modality)) is { } problem)
            throw new UserError(problem);
        if (ranks is not null) return BenchTrainRanks.Compare(s, ranks, cli);
        if (parse.GetValue(_json) || MpiLaunch.FromEnvironment().IsMpi)
            return RankedRun.Run(parse, cli, world => BenchTrainRanks.Measure(s, world, parse.GetValue(_json), cli));

        string batch = Directory.CreateTempSubdirectory("workbench-bench-train-").FullName;
        try
        {
            var result = TrainBenchmark.Run(s, batchFolder: batch);
            cli.Out.Write(result.Format());
            if (PyTorchPeer.Find(parse.GetValue(_python)) is not { } python)
            {
                cli.Out.WriteLine(parse.GetValue(_python) == "none" ? "  PyTorch peer skipped (--python none)" : "  PyTorch peer skipped: no python3 with torch found (pass --python)");
                return ExitCodes.Ok;
            }
            var peer = PyTorchPeer.Run(python, s, batch, out string? why);
            cli.Out.Write(peer is null ? $"  {why}\n" : PyTorchPeer.Format(peer, result));
            return ExitCodes.Ok;
        }
        finally
        {
            Directory.Delete(batch, recursive: true);
        }
    }

    private static int CheckedTile(int tile) =>
        tile is >= ObservationSpec.MinTile and <= ObservationSpec.MaxTile ? tile
            : throw new UserError($"bench train: --tile must be {ObservationSpec.MinTile}..{ObservationSpec.MaxTile}, got {tile}");
}
