using System.CommandLine;
using Workbench.Reporting;
using Workbench.Workflows;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench report --suite S --baseline A --candidate B</c>: an HTML + Markdown report from eval results on disk.
/// </summary>
public sealed class ReportCommand : ICommand
{
    private readonly Option<string> _suite = Declare.RequiredText("--suite", "suite file the versions were evaluated on", "SUITE.yaml");
    private readonly Option<string> _baseline = Declare.RequiredText("--baseline", "baseline policy (name@version, or bot/random)", "POLICY");
    private readonly Option<string> _candidate = Declare.RequiredText("--candidate", "candidate policy compared with the baseline on the same episodes", "POLICY");
    private readonly Option<string[]> _also = Declare.Repeated("--also", "further policy shown alongside (not compared)", "POLICY");
    private readonly Option<string> _title = Declare.Text("--title", "report title", "Model version report", "TEXT");
    private readonly Option<string> _results = Declare.Text("--results", "folder of eval results", Workbench.Evals.Evaluation.DefaultResultsRoot, "DIR");
    private readonly Option<string> _out = Declare.Text("--out", "output folder", "reports/report", "DIR");

    public string Name => "report";
    public string Summary => "Write an HTML + Markdown report comparing versions from their eval results";
    public IReadOnlyList<Symbol> Parameters => [_suite, _baseline, _candidate, _also, _title, _results, _out];

    public int Run(ParseResult parse, CliContext cli)
    {
        var files = VersionReport.Write(new VersionReportRequest
        {
            Suite = parse.GetValue(_suite)!,
            Baseline = parse.GetValue(_baseline)!,
            Candidate = parse.GetValue(_candidate)!,
            Also = parse.GetValue(_also)!,
            Title = parse.GetValue(_title)!,
            ResultsRoot = parse.GetValue(_results)!,
            Output = parse.GetValue(_out)!,
        });
        cli.Out.WriteLine($"report: {Path.GetFullPath(files.Html)}");
        cli.Out.WriteLine($"summary: {Path.GetFullPath(files.Markdown)}");
        return ExitCodes.Ok;
    }
}
