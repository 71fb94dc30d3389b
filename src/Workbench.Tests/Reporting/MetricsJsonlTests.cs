using Workbench.Reporting;

namespace Workbench.Tests.Reporting;

public class MetricsJsonlTests
{
    [Fact]
    public void Training_and_validation_losses_at_the_same_step_stay_separate_curves()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("wb-metrics-").FullName, "metrics.jsonl");
        File.WriteAllText(path, """
            {"step":10,"split":"train","loss":1.5,"lr":0.001}
            {"step":20,"split":"train","loss":1.0,"lr":0.002}
            {"step":20,"split":"val","loss":1.2}
            """);
        var all = MetricsJsonl.ReadAll(path);
        Assert.Equal([(10, 1.5), (20, 1.0)], all["loss"]);
        Assert.Equal([(20, 1.2)], all["val/loss"]);
        Assert.Equal([(10, 0.001), (20, 0.002)], all["lr"]);
        Assert.Equal(2, MetricsJsonl.Read(path, "loss", "run").Points.Count);
    }
}
