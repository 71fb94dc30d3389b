using System.CommandLine;
using Workbench.Cluster;
using Workbench.Evals;
using Workbench.Evals.Records;
using Workbench.Evals.Scoring;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench eval SUITE --policy P --slurm --shards N</c>: the eval as a Slurm array plus a merge job.</summary>
internal static class EvalSlurm
{
    public static int Submit(EvalArrayRequest request, SlurmCli slurm, ParseResult parse, CliContext cli)
    {
        var submitted = EvalArray.Submit(request, slurm.Parse(parse), submit: !parse.GetValue(slurm.DryRun));
        int code = slurm.Report(parse, cli, submitted.Folder, [(submitted.ArrayScript, submitted.ArrayJobId), (submitted.MergeScript, submitted.MergeJobId)]);
        if (submitted.MergeJobId is null) return code;
        if (code != ExitCodes.Ok || !parse.GetValue(slurm.Wait))
        {
            cli.Out.WriteLine($"the merged results will be {submitted.Output}");
            return code;
        }
        var suite = Evaluation.LoadSuite(request.Suite, request.Overrides, request.EpisodesPerSeed);
        var records = EpisodeRecordFile.Read(submitted.Output);
        cli.Out.Write(SuiteSummary.Build(suite.Suite, records, request.Policy).Format());
        cli.Out.WriteLine($"{records.Count} episodes from {submitted.ShardFiles.Count} shards → {submitted.Output}");
        return ExitCodes.Ok;
    }
}
