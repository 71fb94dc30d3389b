// Types that break the layer map on purpose, so LayerTests can show its check fails on a forbidden reference.
// They live outside the Workbench namespace and are never used.

namespace LayerProbe.Models
{
    public static class Model
    {
        public static int Width() => 1;

        // A method-body reference only (no field or signature): upward to Workflows.
        public static int Flow() => LayerProbe.Workflows.Flow.Run();
    }
}

namespace LayerProbe.Data
{
    public static class UsesModels
    {
        public static int Read() => LayerProbe.Models.Model.Width();
    }
}

namespace LayerProbe.Workflows
{
    public static class Flow
    {
        public static int Run() => LayerProbe.Data.UsesModels.Read();
    }
}
