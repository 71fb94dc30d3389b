using Workbench.Data;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench data inspect PATH</c>: schema, counts, row groups, sizes, head and describe.</summary>
public sealed class DataInspectCommand : ICommand
{
    public string Name => "data inspect";
    public string Summary => "Show a demonstration dataset's schema, row groups, sizes and a per-column summary (head, describe)";
    public IReadOnlyList<ArgumentSpec> Arguments => [new("path", "Parquet file, folder or glob")];
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("rows", "rows sampled for describe (whole row groups from the start)", Default: "50000", ValueName: "N"),
        new("head", "rows shown by head", Default: "5", ValueName: "N"),
    ];

    public int Run(ParsedArgs args)
    {
        Console.Out.Write(DataInspector.Inspect(args.Argument("path"), args.Int("rows", 50_000), args.Int("head", 5)));
        return ExitCodes.Ok;
    }
}
