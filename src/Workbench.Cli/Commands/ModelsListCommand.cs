using System.CommandLine;
using System.Globalization;
using Workbench.Training;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench models list</c>.</summary>
public sealed class ModelsListCommand : ICommand
{
    private readonly Option<string> _registry = Declare.Text("--registry", "registry folder", ModelVersions.DefaultRoot, "DIR");

    public string Name => "models list";
    public string Summary => "List registered model versions";
    public IReadOnlyList<Symbol> Parameters => [_registry];

    public int Run(ParseResult parse, CliContext cli)
    {
        var versions = ModelVersions.List(parse.GetValue(_registry));
        if (versions.Count == 0)
        {
            cli.Out.WriteLine("no registered models (register one with: workbench models register <run-dir> --name NAME --version VERSION)");
            return ExitCodes.Ok;
        }
        cli.Out.WriteLine($"{"model",-24} {"family/size",-20} {"registered",-20} {"commit",-10} metrics");
        foreach (var v in versions)
        {
            string metrics = string.Join(", ", v.Metrics.Where(m => m.Key.StartsWith("val_", StringComparison.Ordinal) || m.Key == "train_loss")
                .Select(m => $"{m.Key}={m.Value.ToString("0.###", CultureInfo.InvariantCulture)}"));
            cli.Out.WriteLine($"{v.Reference,-24} {v.Spec.Family + "/" + v.Spec.Size,-20} {v.RegisteredAt,-20:yyyy-MM-dd HH:mm} {(v.GitCommit ?? "-")[..Math.Min(8, (v.GitCommit ?? "-").Length)],-10} {metrics}");
        }
        return ExitCodes.Ok;
    }
}
