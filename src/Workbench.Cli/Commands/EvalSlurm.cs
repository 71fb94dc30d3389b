using Workbench.Cluster;
using Workbench.Evals;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench eval SUITE --policy P --slurm --shards N</c>: the eval as a Slurm array plus a merge job.</summary>
internal static class EvalSlurm
{
    public static int Submit(ParsedArgs args)
    {
        foreach (string local in new[] { "shard", "gate", "baseline", "fresh" })
            if (args.Options(local).Count > 0)
                throw new UserError($"eval --slurm: --{local} applies to a run here, not to a Slurm array (each task runs one --shard k/N)");
        var request = new EvalArrayRequest
        {
            Suite = args.Argument("suite"),
            Policy = args.Option("policy")!,
            Shards = args.Int("shards", 4),
            Overrides = args.Options("set"),
            EpisodesPerSeed = args.Option("episodes") is null ? null : args.Int("episodes", 1),
            BatchSize = args.Int("batch-size", 32),
            ResultsRoot = args.Option("results-root")!,
            Output = args.Option("out"),
        };
        var submitted = EvalArray.Submit(request, SlurmCli.Parse(args), submit: !args.Flag("dry-run"));
        int code = SlurmCli.Report(args, submitted.Folder,
            [(submitted.ArrayScript, submitted.ArrayJobId), (submitted.MergeScript, submitted.MergeJobId)], submitted.MergeJobId);
        if (code == ExitCodes.Ok && args.Flag("wait") && submitted.MergeJobId != null)
        {
            var suite = Evaluation.LoadSuite(request.Suite, request.Overrides, request.EpisodesPerSeed);
            var records = Evals.Records.EpisodeRecordFile.Read(submitted.Output);
            Console.Out.Write(Evals.Scoring.SuiteSummary.Build(suite.Suite, records, Evals.Runner.PolicyId.Parse(request.Policy).Spec).Format());
            Console.Out.WriteLine($"{records.Count} episodes from {submitted.ShardFiles.Count} shards → {submitted.Output}");
        }
        else if (submitted.MergeJobId != null)
            Console.Out.WriteLine($"the merged results will be {submitted.Output}");
        return code;
    }
}
