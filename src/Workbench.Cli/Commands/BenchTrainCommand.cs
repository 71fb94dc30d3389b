using System.CommandLine;
using Workbench.Envs;
using Workbench.Training;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench bench train</c>: BC training steps of a model on CPU (samples/s, step split, data wait, FLOP/s against the
/// measured matmul peak) and the same model and batch in PyTorch eager (<see cref="TrainBenchmark"/>, <see cref="PyTorchPeer"/>).
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
    private readonly Option<int> _threads = Declare.Number("--threads", "torch threads (both sides)", 2, "N");
    private readonly Option<string?> _python = Declare.OptionalText("--python",
        "python with torch for the peer (default: the first of python3, /usr/bin/python3 that imports torch); 'none' skips it", "EXE");

    public string Name => "bench train";
    public string Summary => "Benchmark training steps (samples/s, time split, data wait, FLOP/s vs the matmul peak) against a PyTorch eager peer";
    public IReadOnlyList<Symbol> Parameters => [_family, _size, _observation, _tile, _data, _episodes, _steps, _iterations, _threads, _python];

    public int Run(ParseResult parse, CliContext cli)
    {
        var observation = parse.GetValue(_observation) == ObservationModality.Rgb ? ObservationSpec.Rgb(CheckedTile(parse.GetValue(_tile))) : ObservationSpec.Symbolic;
        var s = new TrainBenchmarkSettings(parse.GetValue(_family)!, parse.GetValue(_size)!, parse.GetValue(_episodes), parse.GetValue(_steps),
            Iterations: parse.GetValue(_iterations), Threads: parse.GetValue(_threads), Observation: observation, DataPath: parse.GetValue(_data));
        if ((Models.ModelArchitectures.Problem(s.Family, s.Size) ?? Models.ModelArchitectures.ModalityProblem(s.Family, observation.Modality)) is { } problem)
            throw new UserError(problem);
        string batch = Directory.CreateTempSubdirectory("workbench-bench-train-").FullName;
        try
        {
            var result = TrainBenchmark.Run(s, batch);
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
