using System.CommandLine;
using Workbench.Config;
using Workbench.Data;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench data build DATASET.yaml</c>: bot demonstrations → datasets/&lt;name&gt;/part-*.parquet + README.md + card.json.</summary>
public sealed class DataBuildCommand : ICommand
{
    private readonly Argument<string> _config = Declare.Argument("dataset", "dataset config YAML (kind: dataset), e.g. datasets/gotoredballgrey.yaml");
    private readonly Option<string[]> _set = Declare.Overrides("override a dataset config key, e.g. --set episodes=500");

    public string Name => "data build";
    public string Summary => "Generate a demonstration dataset from a dataset config (kind: dataset) into sharded Parquet with a dataset card";
    public IReadOnlyList<Symbol> Parameters => [_config, _set];

    public int Run(ParseResult parse, CliContext cli)
    {
        var loaded = ConfigLoader.LoadAs(typeof(DatasetConfig), parse.GetValue(_config)!, parse.GetValue(_set));
        var datasetConfig = (DatasetConfig)loaded.Value;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var card = DatasetBuilder.Build(datasetConfig, cli.Error, configYaml: loaded.ResolvedYaml);
        cli.Out.WriteLine($"{datasetConfig.OutputFolder()}: {card.Episodes:N0} episodes, {card.Steps:N0} steps in {card.Files.Count} file(s) " +
                          $"({clock.Elapsed.TotalSeconds:F1}s); fingerprint {card.Fingerprint[..16]}");
        foreach (var level in card.Levels)
            cli.Out.WriteLine($"  {level.Level}: {level.Episodes:N0} episodes, {level.Steps:N0} steps, {level.Successes:N0} bot successes");
        return ExitCodes.Ok;
    }
}
