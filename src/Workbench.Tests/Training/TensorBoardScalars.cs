using Workbench.Training;

namespace Workbench.Tests.Training;

/// <summary>(tag, step) of every scalar summary in a run's TensorBoard event files, for tests.</summary>
internal static class TensorBoardScalars
{
    public static List<(string Tag, long Step)> Read(string runDir) =>
        Directory.GetFiles(runDir, TensorBoardEvents.FilePattern)
            .SelectMany(TensorBoardEvents.Read)
            .SelectMany(r => TensorBoardEvents.Tags(r.Event.Span).Select(tag => (tag, r.Step)))
            .ToList();
}
