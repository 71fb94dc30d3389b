using System.Diagnostics;
using Workbench.Cluster;

namespace Workbench.Tests.Cluster;

/// <summary>The sbatch scripts: what they ask Slurm for, and that bash hands every argument over intact.</summary>
public class SbatchScriptTests
{
    private static SlurmOptions Options(string dir) => new()
    {
        Workbench = ["/opt/workbench/workbench"], WorkingDirectory = dir, Partition = "gpu", Account = "lab", Time = "2:00:00",
        CpusPerTask = 4, Memory = "8G", MaxParallel = 3, SbatchArgs = ["--gres=gpu:1", "--constraint=avx2"],
    };

    private static SbatchJob ArrayJob(IReadOnlyList<string> arguments) => new()
    {
        Name = "wb-test", About = ["a test job"], ArrayTasks = [0, 1, 2, 3], Log = "/logs/%A_%a.out", Arguments = arguments,
    };

    [Fact]
    public void Array_script_asks_for_the_array_requeue_signal_and_every_passed_option()
    {
        string script = SbatchScript.Render(ArrayJob(["eval", "s.yaml"]), Options("/work/here"));
        string[] expected =
        [
            "#SBATCH --array=0-3%3", "#SBATCH --output=/logs/%A_%a.out", "#SBATCH --open-mode=append", "#SBATCH --requeue",
            "#SBATCH --signal=B:USR2@90", "#SBATCH --chdir=/work/here", "#SBATCH --partition=gpu", "#SBATCH --account=lab",
            "#SBATCH --time=2:00:00", "#SBATCH --cpus-per-task=4", "#SBATCH --mem=8G", "#SBATCH --gres=gpu:1", "#SBATCH --constraint=avx2",
            "scontrol requeue \"${SLURM_JOB_ID}\"", "trap on_usr2 USR2",
        ];
        Assert.All(expected, line => Assert.Contains(line, script));
        Assert.DoesNotContain("localhost", script);
        // Every #SBATCH line comes before the first command, or sbatch ignores it.
        var lines = script.Split('\n');
        int lastDirective = Array.FindLastIndex(lines, l => l.StartsWith("#SBATCH"));
        int firstCommand = Array.FindIndex(lines, l => l.Length > 0 && !l.StartsWith('#'));
        Assert.True(lastDirective < firstCommand);
    }

    [Fact]
    public void Array_ids_are_written_as_ranges()
    {
        Assert.Equal("0-3,7,9-10", SbatchScript.Ranges([9, 0, 1, 2, 3, 7, 10]));
        Assert.Contains("#SBATCH --array=2,5-6%3", SbatchScript.Render(ArrayJob(["eval"]) with { ArrayTasks = [5, 2, 6] }, Options("/w")));
    }

    [Fact]
    public void A_job_that_cannot_resume_is_not_requeued()
    {
        string script = SbatchScript.Render(ArrayJob(["eval", "merge"]) with { ArrayTasks = null, Requeue = false }, Options("/w"));
        Assert.DoesNotContain("--requeue", script);
        Assert.DoesNotContain("USR2", script);
        Assert.DoesNotContain("--array", script);
    }

    [Fact]
    public void Bash_passes_quotes_spaces_and_the_task_number_through_unchanged()
    {
        string dir = TestSupport.TempDir();
        string[] arguments = ["eval", "it's a file.yaml", "--set", "name=\"x y\"", "--shard", $"{SbatchScript.TaskNumber}/4", "$HOME", "--index", SbatchScript.TaskIndex];
        string path = SbatchScript.Write(Path.Combine(dir, "job.sbatch"), ArrayJob(arguments), Options(dir));

        // Run the script as Slurm would for array task 2, with printf standing in for workbench (WORKBENCH=…).
        var info = new ProcessStartInfo("bash", [path]) { RedirectStandardOutput = true, UseShellExecute = false };
        info.Environment["SLURM_ARRAY_TASK_ID"] = "2";
        info.Environment["SLURM_JOB_ID"] = "77";
        info.Environment["WORKBENCH"] = "printf [%s]\\n";
        using var bash = Process.Start(info)!;
        string output = bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();

        Assert.Equal(0, bash.ExitCode);
        var received = output.Split('\n').Where(l => l.StartsWith('[')).Select(l => l[1..^1]).ToList();
        Assert.Equal(["eval", "it's a file.yaml", "--set", "name=\"x y\"", "--shard", "3/4", "$HOME", "--index", "2"], received);
        Assert.Contains("workbench: exit status 0", output);
    }

    [Fact]
    public void Options_that_cannot_be_an_sbatch_line_are_user_errors()
    {
        var bad = Options("/w") with { SbatchArgs = ["gres=gpu:1"] };
        var e = Assert.Throws<UserError>(() => SbatchScript.Render(ArrayJob(["eval"]), bad));
        Assert.Contains("--sbatch-arg 'gres=gpu:1'", e.Message);
        Assert.Throws<UserError>(() => SbatchScript.Render(ArrayJob(["eval"]), Options("/w") with { Partition = "a b" }));
        Assert.Throws<UserError>(() => SbatchScript.Render(ArrayJob(["eval"]), Options("/w") with { Workbench = [] }));
    }
}
