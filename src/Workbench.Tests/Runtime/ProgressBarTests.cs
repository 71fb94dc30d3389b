using Workbench.Runtime;

namespace Workbench.Tests.Runtime;

public class ProgressBarTests
{
    [Fact]
    public void Logs_show_the_finished_bar_once_with_its_count()
    {
        var log = new StringWriter();
        using (var bar = new ProgressBar("work", 10, log, interactive: false))
            for (int i = 1; i <= 10; i++) bar.Report(i);
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, l => l.Contains("10/10"));
        Assert.Contains("ETA", lines[^1]);
    }

    [Fact]
    public void Dispose_draws_the_final_state_when_the_last_report_was_throttled()
    {
        var log = new StringWriter();
        using (var bar = new ProgressBar("work", 10, log, interactive: false))
        {
            bar.Report(1);
            bar.Report(5); // within the 5 s log interval: not drawn
        }
        Assert.Contains("5/10", log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }
}
