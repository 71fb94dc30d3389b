using Workbench.Cluster;

namespace Workbench.Tests.Cluster;

/// <summary>Job states parsed from what Slurm 22.05 prints (lines captured from the CI cluster and from sacct's documented format).</summary>
public class SlurmJobStateTests
{
    [Fact]
    public void Scontrol_lines_give_one_task_each_and_a_pending_range_expands()
    {
        const string output = """
            JobId=9 ArrayJobId=9 ArrayTaskId=1 JobName=t.sbatch UserId=root(0) JobState=COMPLETED Reason=None Requeue=1 Restarts=0 ExitCode=0:0 RunTime=00:00:08
            JobId=10 ArrayJobId=9 ArrayTaskId=0 JobName=t.sbatch UserId=root(0) JobState=RUNNING Reason=None Requeue=1 Restarts=1 ExitCode=0:0
            JobId=12 ArrayJobId=9 ArrayTaskId=2-4%2 JobName=t.sbatch JobState=PENDING Reason=JobArrayTaskLimit ExitCode=0:0
            """;
        var state = SlurmJobState.FromScontrol("9", output);
        Assert.Equal(["9_1", "9_0", "9_2", "9_3", "9_4"], state.Tasks.Select(t => t.Id));
        Assert.Equal(3, state.Count("PENDING"));
        Assert.False(state.IsFinished);
        Assert.Equal("job 9: 5 tasks: 1 COMPLETED, 3 PENDING, 1 RUNNING", state.Describe());
    }

    [Fact]
    public void Sacct_rows_report_failures_and_pending_array_ranges()
    {
        const string output = "123_0|COMPLETED|0:0\n123_1|FAILED|1:0\n123_2|CANCELLED by 0|0:15\n123_[3-4]|PENDING|0:0\n";
        var state = SlurmJobState.FromSacct("123", output);
        Assert.Equal(5, state.Tasks.Count);
        Assert.Equal("CANCELLED", state.Tasks[2].State);
        Assert.False(state.IsFinished);
        var done = SlurmJobState.FromSacct("123", "123_0|COMPLETED|0:0\n123_1|FAILED|1:0\n");
        Assert.True(done.IsFinished);
        Assert.False(done.Succeeded);
    }

    [Fact]
    public void Missing_sbatch_is_a_user_error_that_says_what_to_install()
    {
        string empty = TestSupport.TempDir();
        var client = new SlurmClient(searchPath: empty);
        var e = Assert.Throws<UserError>(() => client.Submit("job.sbatch"));
        Assert.Contains("sbatch not found on PATH", e.Message);
        Assert.Contains("apt-get install slurm-client", e.Message);
        Assert.NotNull(client.Unavailable());
    }
}
