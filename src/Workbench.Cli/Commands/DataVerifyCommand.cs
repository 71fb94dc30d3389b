using Workbench.Data;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench data verify PATH</c>: reads every page; exit 1 when anything is wrong.</summary>
public sealed class DataVerifyCommand : ICommand
{
    public string Name => "data verify";
    public string Summary => "Read every page of a demonstration dataset and report problems (exit 1 when there are any)";
    public IReadOnlyList<ArgumentSpec> Arguments => [new("path", "Parquet file, folder or glob")];

    public int Run(ParsedArgs args)
    {
        var problems = DataInspector.Verify(args.Argument("path"), Console.Out);
        foreach (var p in problems) Console.Out.WriteLine($"problem: {p}");
        Console.Out.WriteLine(problems.Count == 0 ? "verify: ok" : $"verify: {problems.Count} problem(s)");
        return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }
}
