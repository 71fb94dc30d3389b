using System.CommandLine;
using Workbench.Reporting;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench report --suite S --baseline A --candidate B</c>: an HTML + Markdown report from eval results on disk.
/// <c>--example</c> writes the example made from constructed data (reports/example/).
/// </summary>
public sealed class ReportCommand : ICommand
{
    private readonly Option<string?> _suite = Declare.Text("--suite", "suite file the versions were evaluated on", "SUITE.yaml");
    private readonly Option<string?> _baseline = Declare.Text("--baseline", "baseline policy (name@version, or bot/random)", "POLICY");
    private readonly Option<string?> _candidate = Declare.Text("--candidate", "candidate policy compared with the baseline on the same episodes", "POLICY");
    private readonly Option<string[]> _also = Declare.Repeated("--also", "further policy shown alongside (not compared)", "POLICY");
    private readonly Option<string> _title = Declare.Text("--title", "report title", "Model version report", "TEXT");
    private readonly Option<string> _results = Declare.Text("--results", "folder of eval results", Workbench.Evals.Evaluation.DefaultResultsRoot, "DIR");
    private readonly Option<bool> _example = Declare.Flag("--example", "write the example report from constructed (simulated) data instead");
    private readonly Option<string> _out = Declare.Text("--out", "output folder (with --example: reports/example)", "reports/report", "DIR");
    private readonly Option<DateOnly> _date = Declare.Parsed("--date", "with --example: night the example is dated", "YYYY-MM-DD", Declare.Day, new DateOnly(2026, 11, 20));

    public string Name => "report";
    public string Summary => "Write an HTML + Markdown report comparing versions from their eval results (or --example from constructed data)";
    public IReadOnlyList<Symbol> Parameters => [_suite, _baseline, _candidate, _also, _title, _results, _example, _out, _date];

    public int Run(ParseResult parse, CliContext cli)
    {
        if (parse.GetValue(_example))
        {
            string folder = parse.WasGiven(_out) ? parse.GetValue(_out)! : "reports/example";
            var example = ExampleReport.Write(folder, parse.GetValue(_date));
            cli.Out.WriteLine($"example report (constructed data): {example.Html}");
            cli.Out.WriteLine($"summary: {example.Markdown}");
            return ExitCodes.Ok;
        }

        var files = VersionReport.Write(new VersionReportRequest
        {
            Suite = Required(parse, _suite),
            Baseline = Required(parse, _baseline),
            Candidate = Required(parse, _candidate),
            Also = parse.GetValue(_also)!,
            Title = parse.GetValue(_title)!,
            ResultsRoot = parse.GetValue(_results)!,
            Output = parse.GetValue(_out)!,
        });
        cli.Out.WriteLine($"report: {Path.GetFullPath(files.Html)}");
        cli.Out.WriteLine($"summary: {Path.GetFullPath(files.Markdown)}");
        return ExitCodes.Ok;
    }

    // Required unless --example, so the parser cannot require them.
    private static string Required(ParseResult parse, Option<string?> option) =>
        parse.GetValue(option) ?? throw new UserError($"report: missing required option {option.Name} (or give --example)");
}
