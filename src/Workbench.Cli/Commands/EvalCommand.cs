using System.CommandLine;
using Workbench.Evals;
using Workbench.Evals.Records;
using Workbench.Evals.Runner;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench eval SUITE --policy P</c>: runs a suite (resumable, shardable), prints the summary, checks gates.</summary>
public sealed class EvalCommand : ICommand
{
    private readonly Argument<string> _suite = Declare.Argument("suite", "suite file (kind: suite), e.g. evals/benchmark/babyai-core.yaml");
    private readonly Option<PolicyId> _policy = Declare.Parsed("--policy", "who acts: bot | random | name@version", "POLICY", PolicyId.Parse, PolicyId.Parse("bot"));
    private readonly Option<int?> _episodes = Declare.OptionalNumber<int>("--episodes", "episodes per seed for every task (scales the suite up)", "N");
    private readonly Option<string[]> _set = Declare.Overrides("override a suite key, e.g. --set episodes_per_seed=4");
    private readonly Option<Shard?> _shard = Declare.Parsed<Shard?>("--shard", "run part k of N of the episodes (merge the parts with `workbench eval merge`)", "k/N", s => Shard.Parse(s));
    private readonly Option<string?> _out = Declare.OptionalText("--out", "result file (default: evals-out/<policy>/<suite>.parquet)", "FILE");
    private readonly Option<int> _batchSize = Declare.Number("--batch-size", "episodes stepped in lockstep (one policy call per step for all)", 32, "N");
    private readonly Option<bool> _fresh = Declare.Flag("--fresh", "discard an interrupted run's journal instead of resuming it");
    private readonly Option<bool> _gate = Declare.Flag("--gate", "check the suite's gates; exit 1 listing every failing gate");
    private readonly Option<string?> _baseline = Declare.OptionalText("--baseline",
        "baseline for no_significant_drop gates: result file, or a policy (its results under evals-out/, run if missing)", "FILE|POLICY");
    private readonly Option<string> _resultsRoot = Declare.Text("--results-root", "folder of results by policy", Evaluation.DefaultResultsRoot, "DIR");
    private readonly Option<bool> _quiet = Declare.Flag("--quiet", "no progress bar");

    public string Name => "eval";
    public string Summary => "Run an eval suite with a policy; per-episode results to Parquet, summary with intervals, optional gates";
    public IReadOnlyList<Symbol> Parameters => [_suite, _policy, _episodes, _set, _shard, _out, _batchSize, _fresh, _gate, _baseline, _resultsRoot, _quiet];

    public int Run(ParseResult parse, CliContext cli)
    {
        var loaded = Evaluation.LoadSuite(parse.GetValue(_suite)!, parse.GetValue(_set), parse.GetValue(_episodes));
        var id = parse.GetValue(_policy)!;
        var shard = parse.GetValue(_shard) ?? Shard.All;
        string root = parse.GetValue(_resultsRoot)!;
        string output = parse.GetValue(_out) ?? Evaluation.ResultPath(id.Spec, loaded.Suite.Name, shard, root);
        int batch = parse.GetValue(_batchSize);
        if (batch < 1) throw new UserError("eval: --batch-size must be at least 1");
        var progress = parse.GetValue(_quiet) ? TextWriter.Null : cli.Error;

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            using var policy = PolicyResolvers.Create(id);
            var options = new EvalRunOptions { OutputPath = output, BatchSize = batch, Shard = shard, Fresh = parse.GetValue(_fresh), Cancel = cancel.Token,
                ProgressWriter = progress };
            var (run, summary) = Evaluation.Run(loaded, policy, id, options);
            cli.Out.Write(summary.Format());
            cli.Out.WriteLine($"{run.Records.Count} episodes ({run.Ran} run, {run.Resumed} resumed) → {run.OutputPath}");

            if (!parse.GetValue(_gate)) return ExitCodes.Ok;
            string baselineName = parse.GetValue(_baseline) ?? "";
            IReadOnlyList<EpisodeRecord>? baseline = baselineName.Length > 0
                ? Evaluation.LoadOrRunBaseline(loaded, baselineName, root, batch, log: cli.Error, progress)
                : null;
            var gates = Evaluation.CheckGates(loaded.Suite, summary, run.Records, baseline, baselineName);
            if (baseline is null && loaded.Suite.Gates.NoSignificantDrop.Count > 0)
                cli.Out.WriteLine($"gates: no --baseline, so no_significant_drop({string.Join(", ", loaded.Suite.Gates.NoSignificantDrop)}) is not checked");
            if (gates.Count == 0)
            {
                bool declared = loaded.Suite.Gates.Absolute.Count + loaded.Suite.Gates.NoSignificantDrop.Count > 0;
                cli.Out.WriteLine(declared ? "gates: none checked" : $"gates: suite {loaded.Suite.Name} declares none");
                return ExitCodes.Ok;
            }
            foreach (var g in gates) cli.Out.WriteLine(g);
            int failed = gates.Count(g => !g.Passed);
            cli.Out.WriteLine(failed == 0 ? $"gates: all {gates.Count} passed" : $"gates: {failed} of {gates.Count} FAILED");
            return failed == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
        }
        catch (OperationCanceledException)
        {
            throw new UserError($"interrupted; finished episodes are kept in {EpisodeJournal.PathFor(output)} — run the same command again to resume");
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
