using Workbench.Evals;
using Workbench.Evals.Records;
using Workbench.Evals.Runner;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench eval SUITE --policy P</c>: runs a suite (resumable, shardable), prints the summary, checks gates.</summary>
public sealed class EvalCommand : ICommand
{
    public string Name => "eval";
    public string Summary => "Run an eval suite with a policy; per-episode results to Parquet, summary with intervals, optional gates";
    public IReadOnlyList<ArgumentSpec> Arguments => [new("suite", "suite file (kind: suite), e.g. evals/benchmark/babyai-core.yaml")];
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("policy", "who acts: bot | random | name@version", Default: "bot", ValueName: "POLICY"),
        new("episodes", "episodes per seed for every task (scales the suite up)", ValueName: "N"),
        new("set", "override a suite key, e.g. --set episodes_per_seed=4", Repeatable: true, ValueName: "KEY=VALUE"),
        new("shard", "run part k of N of the episodes (merge the parts with `workbench eval merge`)", ValueName: "k/N"),
        new("out", "result file (default: evals-out/<policy>/<suite>.parquet)", ValueName: "FILE"),
        new("batch-size", "episodes stepped in lockstep (one policy call per step for all)", Default: "32", ValueName: "N"),
        new("fresh", "discard an interrupted run's journal instead of resuming it", IsFlag: true),
        new("gate", "check the suite's gates; exit 1 listing every failing gate", IsFlag: true),
        new("baseline", "baseline for no_significant_drop gates: result file, or a policy (its results under evals-out/, run if missing)", ValueName: "FILE|POLICY"),
        new("results-root", "folder of results by policy", Default: Evaluation.DefaultResultsRoot, ValueName: "DIR"),
        new("rerun", "with --baseline POLICY: run the baseline again when its results are stale (checkpoint or suite changed) instead of refusing", IsFlag: true),
        new("quiet", "no progress bar", IsFlag: true),
    ];

    public int Run(ParsedArgs args)
    {
        string? episodesText = args.Option("episodes");
        var loaded = Evaluation.LoadSuite(args.Argument("suite"), args.Options("set"), episodesText is null ? null : args.Int("episodes", 1));
        var id = PolicyId.Parse(args.Option("policy")!);
        var shard = args.Option("shard") is { } s ? Shard.Parse(s) : Shard.All;
        string root = args.Option("results-root")!;
        string output = args.Option("out") ?? Evaluation.ResultPath(id.Spec, loaded.Suite.Name, shard, root);
        int batch = args.Int("batch-size", 32);
        if (batch < 1) throw new UserError("eval: --batch-size must be at least 1");

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            using var policy = PolicyResolvers.Create(id);
            var options = new EvalRunOptions { OutputPath = output, BatchSize = batch, Shard = shard, Fresh = args.Flag("fresh"), Cancel = cancel.Token,
                ProgressWriter = args.Flag("quiet") ? TextWriter.Null : null };
            var (run, summary) = Evaluation.Run(loaded, policy, id, options);
            Console.Out.Write(summary.Format());
            Console.Out.WriteLine($"{run.Records.Count} episodes ({run.Ran} run, {run.Resumed} resumed) → {run.OutputPath}");

            if (!args.Flag("gate")) return ExitCodes.Ok;
            IReadOnlyList<EpisodeRecord>? baseline = null;
            string baselineName = args.Option("baseline") ?? "";
            if (baselineName.Length > 0)
                baseline = Evaluation.LoadOrRunBaseline(loaded, baselineName, new ResultsOptions
                {
                    Root = root, BatchSize = batch, RerunIfStale = args.Flag("rerun"), Log = Console.Error, Progress = options.ProgressWriter,
                });
            var gates = Evaluation.CheckGates(loaded.Suite, summary, run.Records, baseline, baselineName);
            if (baseline is null && loaded.Suite.Gates.NoSignificantDrop.Count > 0)
                Console.Out.WriteLine($"gates: no --baseline, so no_significant_drop({string.Join(", ", loaded.Suite.Gates.NoSignificantDrop)}) is not checked");
            if (gates.Count == 0)
            {
                bool declared = loaded.Suite.Gates.Absolute.Count + loaded.Suite.Gates.NoSignificantDrop.Count > 0;
                Console.Out.WriteLine(declared ? "gates: none checked" : $"gates: suite {loaded.Suite.Name} declares none");
                return ExitCodes.Ok;
            }
            foreach (var g in gates) Console.Out.WriteLine(g);
            int failed = gates.Count(g => !g.Passed);
            Console.Out.WriteLine(failed == 0 ? $"gates: all {gates.Count} passed" : $"gates: {failed} of {gates.Count} FAILED");
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
