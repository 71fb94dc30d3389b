using System.CommandLine;
using Workbench.Data;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench data verify PATH</c>: reads every page; exit 1 when anything is wrong.</summary>
public sealed class DataVerifyCommand : ICommand
{
    private readonly Argument<string> _path = Declare.Argument("path", "Parquet file, folder or glob");

    public string Name => "data verify";
    public string Summary => "Read every page of a demonstration dataset and report problems (exit 1 when there are any)";
    public IReadOnlyList<Symbol> Parameters => [_path];

    public int Run(ParseResult parse, CliContext cli)
    {
        var problems = DataInspector.Verify(parse.GetValue(_path)!, cli.Out);
        foreach (var p in problems) cli.Out.WriteLine($"problem: {p}");
        cli.Out.WriteLine(problems.Count == 0 ? "verify: ok" : $"verify: {problems.Count} problem(s)");
        return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }
}
