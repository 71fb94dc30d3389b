using System.CommandLine;
using Workbench.Training;
using Workbench.Workflows.Sweeps;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench sweep FILE</c>: train, register and evaluate every point × seed of a sweep, then the table and plot.</summary>
public sealed class SweepCommand : ICommand
{
    private readonly Argument<string> _sweep = Declare.Argument("sweep", "sweep file (kind: sweep), e.g. experiments/babyai-demos/gotoredballgrey-sweep.yaml");
    private readonly Option<string[]> _set = Declare.Overrides("override a key of the sweep file, e.g. --set seeds=[1]");
    private readonly Option<bool> _plan = Declare.Flag("--plan", "list the runs (index, id, overrides, finished or not) and check every run's config; run nothing");
    private readonly Option<int?> _run = Declare.OptionalNumber<int>("--run", "run only the run with this index (what Slurm array task INDEX does); no report", "INDEX");
    private readonly Option<bool> _report = Declare.Flag("--report", "only write the table, plot and summary from the runs finished so far");
    private readonly Option<string> _registry = Declare.Text("--registry", "model registry folder", ModelVersions.DefaultRoot, "DIR");
    private readonly Option<bool> _quiet = Declare.Flag("--quiet", "no progress bars");
    private readonly SlurmCli _slurm = new();

    public string Name => "sweep";
    public string Summary => "Run a sweep (kind: sweep) here or as a Slurm array: every point × seed trained, registered, evaluated; one table and plot";
    public IReadOnlyList<Symbol> Parameters => [_sweep, _set, _plan, _run, _report, _registry, _quiet, .. _slurm.All];

    public int Run(ParseResult parse, CliContext cli)
    {
        _slurm.RefuseWithoutSlurm(parse, Name);
        var plan = SweepPlan.Load(parse.GetValue(_sweep)!, parse.GetValue(_set));
        var options = new SweepOptions
        {
            RegistryRoot = parse.GetValue(_registry)!, ShowProgress = !parse.GetValue(_quiet), Log = cli.Out, ProgressWriter = cli.Error,
        };
        if (parse.GetValue(_plan)) return Plan(plan, cli);
        if (parse.GetValue(_report))
        {
            Print(SweepReport.Write(plan, cli.Out), cli);
            return ExitCodes.Ok;
        }
        if (parse.GetValue(_run) is int index)
        {
            new SweepRunner(plan, options).RunOne(index);
            return ExitCodes.Ok;
        }
        if (parse.GetValue(_slurm.Slurm))
        {
            var submitted = SweepSlurm.Submit(plan, _slurm.Parse(parse), options.RegistryRoot, submit: !parse.GetValue(_slurm.DryRun));
            var jobs = new List<(string, string?)>();
            if (submitted.ArrayScript != null) jobs.Add((submitted.ArrayScript, submitted.ArrayJobId));
            jobs.Add((submitted.ReportScript, submitted.ReportJobId));
            cli.Out.WriteLine($"{submitted.Runs.Count} of {plan.Runs.Count} runs to do" +
                              (submitted.Runs.Count > 0 ? $" (array tasks {Cluster.SbatchScript.Ranges(submitted.Runs)})" : ""));
            int code = _slurm.Report(parse, cli, submitted.Folder, jobs);
            if (code == ExitCodes.Ok && parse.GetValue(_slurm.Wait) && submitted.ReportJobId != null) Print(SweepReport.Write(plan), cli);
            return code;
        }
        Print(new SweepRunner(plan, options).Run(), cli);
        return ExitCodes.Ok;
    }

    private static int Plan(SweepPlan plan, CliContext cli)
    {
        plan.Check();
        var suite = plan.Suite();
        foreach (var run in plan.Runs)
        {
            bool done = SweepRunner.Finished(plan, run, plan.Experiment(run), suite) != null;
            cli.Out.WriteLine($"{run.Index,4}  {(done ? "finished" : "to do   ")}  {run.Id}  {string.Join(" ", run.Overrides.Select(o => "--set " + o))}");
        }
        cli.Out.WriteLine($"{plan.Runs.Count} runs; results in {plan.Folder}");
        return ExitCodes.Ok;
    }

    private static void Print(SweepReportFiles report, CliContext cli)
    {
        foreach (var p in report.Points)
            cli.Out.WriteLine(FormattableString.Invariant($"{p.Point,-40} {p.Mean:0.###} [{p.Low:0.###}, {p.High:0.###}] over {p.Seeds} seed(s)"));
        foreach (var c in report.Crossings)
            cli.Out.WriteLine($"{c.Series}: reaches {c.Threshold} at " +
                              (c.Median is { } m ? FormattableString.Invariant($"{m:0.#} [{c.Low:0.#}, {c.High:0.#}]") : "— (not within the swept range)") +
                              (c.Warnings.Count > 0 ? $" ({string.Join("; ", c.Warnings)})" : ""));
        cli.Out.WriteLine($"table: {report.PointsTable} (per run: {report.RunsTable})");
        if (report.Plot != null) cli.Out.WriteLine($"plot: {report.Plot}");
        cli.Out.WriteLine($"summary: {report.Markdown}" + (report.Unfinished.Count > 0 ? $" — {report.Unfinished.Count} runs not finished yet" : ""));
    }
}
