using System.Diagnostics;
using System.Runtime.InteropServices;
using Workbench.Cli;
using Workbench.Tests.Cli;

namespace Workbench.Tests.Cluster;

/// <summary><c>eval --slurm</c> before anything reaches a scheduler: bad shard counts, missing sbatch, the scripts it writes.</summary>
public class EvalSlurmCliTests
{
    private static string Suite => Path.Combine(RepoRoot.Path, "evals/benchmark/quickstart.yaml");

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var run = CliRun.Of(args);
        return (run.Code, run.Out, run.Err);
    }

    [Theory]
    [InlineData("0", "--shards 0: must be at least 1")]
    [InlineData("201", "--shards 201: suite quickstart has only 200 episodes")]
    public void Shard_counts_out_of_range_are_user_errors(string shards, string message)
    {
        string root = TestSupport.TempDir();
        var (code, _, err) = Run("eval", Suite, "--policy", "bot", "--slurm", "--dry-run", "--shards", shards, "--results-root", root, "--workbench", "/x/workbench");
        Assert.Equal(ExitCodes.UserError, code);
        Assert.Contains(message, err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void A_local_shard_or_gate_cannot_be_combined_with_slurm()
    {
        var (code, _, err) = Run("eval", Suite, "--slurm", "--shard", "1/2", "--dry-run", "--workbench", "/x/workbench");
        Assert.Equal(ExitCodes.UserError, code);
        Assert.Contains("--shard applies to a run here", err);
    }

    [Fact]
    public void Slurm_options_without_slurm_are_refused()
    {
        var (code, _, err) = Run("eval", Suite, "--partition", "gpu");
        Assert.Equal(ExitCodes.UserError, code);
        Assert.Contains("--partition applies to a Slurm submission; add --slurm", err);
        Assert.Equal(ExitCodes.UserError, Run("eval", Suite, "--shards", "3").Code);
    }

    [Fact]
    public void Dry_run_writes_an_array_of_shards_and_a_merge_of_all_of_them()
    {
        string root = TestSupport.TempDir();
        var (code, output, _) = Run("eval", Suite, "--policy", "random", "--slurm", "--dry-run", "--shards", "3", "--results-root", root,
            "--set", "episodes_per_seed=2", "--partition", "short", "--time", "10", "--workbench", "/x/workbench");
        Assert.Equal(ExitCodes.Ok, code);
        string folder = Path.Combine(root, "random", "quickstart.slurm");
        Assert.Contains($"jid=$(sbatch --parsable {Path.Combine(folder, "eval-array.sbatch")})", output);
        string array = File.ReadAllText(Path.Combine(folder, "eval-array.sbatch"));
        Assert.Contains("#SBATCH --array=0-2", array);
        Assert.Contains("'--shard' \"$task\"'/3'", array);
        Assert.Contains("'--set' 'episodes_per_seed=2'", array);
        Assert.Contains("#SBATCH --partition=short", array);
        string merge = File.ReadAllText(Path.Combine(folder, "merge.sbatch"));
        foreach (int k in new[] { 1, 2, 3 }) Assert.Contains($"quickstart.shard-{k}-of-3.parquet'", merge);
        Assert.Contains("'--suite'", merge);
        Assert.False(File.Exists(Path.Combine(folder, "submitted.json")));
    }

    [Fact]
    public void Without_sbatch_the_command_says_what_to_install_exits_2_and_writes_nothing()
    {
        string root = TestSupport.TempDir();
        string workbench = Path.Combine(AppContext.BaseDirectory, "workbench");
        var info = new ProcessStartInfo(workbench, ["eval", Suite, "--policy", "bot", "--slurm", "--results-root", root])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = root,
        };
        info.Environment["PATH"] = Path.Combine(root, "empty-bin");
        // The apphost finds the runtime through DOTNET_ROOT once PATH no longer leads to dotnet.
        info.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        using var process = Process.Start(info)!;
        string err = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(ExitCodes.UserError, process.ExitCode);
        Assert.Contains("sbatch not found on PATH", err);
        Assert.Contains("apt-get install slurm-client", err);
        Assert.DoesNotContain("   at ", err);
        Assert.False(Directory.Exists(Path.Combine(root, "bot")));
    }
}
