using System.CommandLine;
using Workbench.Data;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench data inspect PATH</c>: schema, counts, row groups, sizes, head and describe.</summary>
public sealed class DataInspectCommand : ICommand
{
    private readonly Argument<string> _path = Declare.Argument("path", "Parquet file, folder or glob");
    private readonly Option<int> _rows = Declare.Number("--rows", "rows sampled for describe (whole row groups from the start)", 50_000, "N");
    private readonly Option<int> _head = Declare.Number("--head", "rows shown by head", 5, "N");

    public string Name => "data inspect";
    public string Summary => "Show a demonstration dataset's schema, row groups, sizes and a per-column summary (head, describe)";
    public IReadOnlyList<Symbol> Parameters => [_path, _rows, _head];

    public int Run(ParseResult parse, CliContext cli)
    {
        cli.Out.Write(DataInspector.Inspect(parse.GetValue(_path)!, parse.GetValue(_rows), parse.GetValue(_head)));
        return ExitCodes.Ok;
    }
}
