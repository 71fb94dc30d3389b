using Workbench.Training;
using Workbench.Workflows.Sweeps;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench sweep FILE</c>: train, register and evaluate every point × seed of a sweep, then the table and plot.</summary>
public sealed class SweepCommand : ICommand
{
    public string Name => "sweep";
    public string Summary => "Run a sweep (kind: sweep) here or as a Slurm array: every point × seed trained, registered, evaluated; one table and plot";
    public IReadOnlyList<ArgumentSpec> Arguments => [new("sweep", "sweep file (kind: sweep), e.g. experiments/sweeps/babyai-demos-gotoredballgrey.yaml")];
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("set", "override a key of the sweep file, e.g. --set seeds=[1]", Repeatable: true, ValueName: "KEY=VALUE"),
        new("plan", "list the runs (index, id, overrides, finished or not) and check every run's config; run nothing", IsFlag: true),
        new("run", "run only the run with this index (what Slurm array task INDEX does); no report", ValueName: "INDEX"),
        new("report", "only write the table, plot and summary from the runs finished so far", IsFlag: true),
        new("registry", "model registry folder", Default: ModelVersions.DefaultRoot, ValueName: "DIR"),
        new("quiet", "no progress bars", IsFlag: true),
        .. SlurmCli.Options,
    ];

    public int Run(ParsedArgs args)
    {
        var plan = SweepPlan.Load(args.Argument("sweep"), args.Options("set"));
        var options = new SweepOptions { RegistryRoot = args.Option("registry")!, ShowProgress = !args.Flag("quiet") };
        if (args.Flag("plan")) return Plan(plan);
        if (args.Flag("report"))
        {
            Print(SweepReport.Write(plan, Console.Out));
            return ExitCodes.Ok;
        }
        if (args.Option("run") != null)
        {
            new SweepRunner(plan, options).RunOne(args.Int("run", 0));
            return ExitCodes.Ok;
        }
        if (args.Flag("slurm"))
        {
            var submitted = SweepSlurm.Submit(plan, SlurmCli.Parse(args), options.RegistryRoot, submit: !args.Flag("dry-run"));
            var jobs = new List<(string, string?)>();
            if (submitted.ArrayScript != null) jobs.Add((submitted.ArrayScript, submitted.ArrayJobId));
            jobs.Add((submitted.ReportScript, submitted.ReportJobId));
            Console.Out.WriteLine($"{submitted.Runs.Count} of {plan.Runs.Count} runs to do" + (submitted.Runs.Count > 0 ? $" (array tasks {Cluster.SbatchScript.Ranges(submitted.Runs)})" : ""));
            int code = SlurmCli.Report(args, submitted.Folder, jobs, submitted.ReportJobId);
            if (code == ExitCodes.Ok && args.Flag("wait") && submitted.ReportJobId != null) Print(SweepReport.Write(plan));
            return code;
        }
        Print(new SweepRunner(plan, options).Run());
        return ExitCodes.Ok;
    }

    private static int Plan(SweepPlan plan)
    {
        plan.Check();
        var suite = plan.Suite();
        foreach (var run in plan.Runs)
        {
            bool done = SweepRunner.Finished(plan, run, plan.Experiment(run), suite) != null;
            Console.Out.WriteLine($"{run.Index,4}  {(done ? "finished" : "to do   ")}  {run.Id}  {string.Join(" ", run.Overrides.Select(o => "--set " + o))}");
        }
        Console.Out.WriteLine($"{plan.Runs.Count} runs; results in {plan.Folder}");
        return ExitCodes.Ok;
    }

    private static void Print(SweepReportFiles report)
    {
        foreach (var p in report.Points)
            Console.Out.WriteLine(FormattableString.Invariant($"{p.Point,-40} {p.Mean:0.###} [{p.Low:0.###}, {p.High:0.###}] over {p.Seeds} seed(s)"));
        foreach (var c in report.Crossings)
            Console.Out.WriteLine($"{c.Series}: reaches {c.Threshold} at " + (c.Median is { } m ? FormattableString.Invariant($"{m:0.#} [{c.Low:0.#}, {c.High:0.#}]") : "— (not within the swept range)") +
                                  (c.Warnings.Count > 0 ? $" ({string.Join("; ", c.Warnings)})" : ""));
        Console.Out.WriteLine($"table: {report.PointsTable} (per run: {report.RunsTable})");
        if (report.Plot != null) Console.Out.WriteLine($"plot: {report.Plot}");
        Console.Out.WriteLine($"summary: {report.Markdown}" + (report.Unfinished.Count > 0 ? $" — {report.Unfinished.Count} runs not finished yet" : ""));
    }
}
