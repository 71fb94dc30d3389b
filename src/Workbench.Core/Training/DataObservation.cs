using Workbench.Config;
using Workbench.Data;
using Workbench.Envs;

namespace Workbench.Training;

/// <summary>
/// The config-time half of the observation contract: what the data of an experiment holds (from the dataset config, or
/// from the footers of existing Parquet sources), compared with what the model reads — so <c>workbench validate</c> and
/// <c>train</c> refuse a mismatch before any step runs. Generated (<c>bot:</c>) sources are rendered to the model's
/// spec, so they always match; a <c>dagger:</c> source is checked for its syntax here and for its model when training starts. Sources that do not exist yet are left to the loader's own error.
/// </summary>
public static class DataObservation
{
    public static IEnumerable<(string Key, string Problem)> Mismatches(DataSection data, ObservationSpec model)
    {
        if (data.Build is { } datasetFile && ConfigPaths.Resolve(datasetFile) is var configPath && File.Exists(configPath))
        {
            DatasetConfig? datasetConfig = null;
            try
            {
                datasetConfig = (DatasetConfig)Config.ConfigLoader.LoadAs(typeof(DatasetConfig), configPath).Value;
            }
            catch (Config.ConfigException)
            {
                // The dataset config's own problems are reported when it is validated or built.
            }
            if (datasetConfig is not null
                && EpisodeSources.ObservationMismatch(model, datasetConfig.ObservationSpec(), $"dataset '{datasetConfig.Name}' ({configPath})") is { } problem)
                yield return ("model.observation", problem);
        }
        for (int i = 0; i < data.Sources.Count; i++)
        {
            var source = data.Sources[i];
            if (DaggerSource.Is(source.Path))
            {
                // Syntax only: the registry holding the model is chosen when training starts (--registry), where
                // DaggerSource.Collect refuses a missing model or one reading another observation before any step runs.
                string? problem = null;
                try
                {
                    DaggerSource.Parse(source.Path);
                }
                catch (UserError e)
                {
                    problem = e.Message;
                }
                if (problem is not null) yield return ($"data.sources[{i}].path", problem);
                continue;
            }
            if (EpisodeSources.IsGenerated(source) || FirstFile(ConfigPaths.Resolve(source.Path)) is not { } file) continue;
            DemoFileInfo info;
            try
            {
                info = DemoFile.Open(file);
            }
            catch (Exception e) when (e is BadDataFileException or IOException)
            {
                continue; // the loader names a bad file with its own error
            }
            var held = info.ObservationSpec;
            string? mismatch = held is null
                ? $"{file} holds '{info.ObsKind}' observations ({info.ObsShape ?? "shape unknown"}) without a known tile size; the model reads {model.Describe()}"
                : EpisodeSources.ObservationMismatch(model, held, $"data.sources[{i}] ({file})");
            if (mismatch is not null) yield return ("model.observation", mismatch);
        }
    }

    /// <summary>The first Parquet file of a source path (file, folder or glob), or null when there is none yet.</summary>
    private static string? FirstFile(string path)
    {
        try
        {
            return DataPaths.Resolve(path).FirstOrDefault();
        }
        catch (Exception e) when (e is UserError or IOException)
        {
            return null;
        }
    }
}
