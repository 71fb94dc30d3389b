using System.Text.Json;
using Workbench.Distributed;
using Workbench.Training;

namespace Workbench.Tests.Distributed;

/// <summary>The Open MPI binding on real ranks, and what needs no MPI at all.</summary>
public class MpiBindingTests
{
    [MpiFact]
    public void CollectivesOnTwoRanksGiveTheSumsBroadcastAndGatherEveryRankExpects()
    {
        // bench train checks all-reduce (float32 tensors, doubles), broadcast and all-gather against known values
        // before it times anything, and fails on the first wrong one.
        var (code, output, error) = Ranks.Run(2, TestSupport.TempDir(),
            ["bench", "train", "--episodes", "2", "--steps", "2", "--iterations", "1", "--threads", "1", "--json"]);
        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        Assert.Contains("collectives checked on 2 rank(s) (Open MPI", error);
        var figures = JsonSerializer.Deserialize<WorldFigures>(output.Trim().Split('\n')[^1])!;
        Assert.Equal(2, figures.Ranks);
        Assert.Equal([0, 1], figures.PerRank.Select(r => r.Rank));
        Assert.All(figures.PerRank, r => Assert.True(r.SamplesPerSecond > 0));
    }

    [Fact]
    public void APlainProcessIsOneRankAndLoadsNoMpi()
    {
        var world = Collectives.FromLaunch(MpiLaunch.From(_ => null));
        Assert.Same(SingleProcess.Instance, world);
        Span<double> values = [1.5, 2];
        world.AllReduceSum(values);
        Assert.Equal([1.5, 2], values.ToArray());
        Assert.Equal("x", Assert.Single(world.AllGatherStrings("x")));
        Assert.Equal("root", world.BroadcastString("root"));
        // One process reports its own errors as they are (no agreement wrapper).
        Assert.Throws<UserError>(() => world.Agree<int>(() => throw new UserError("bad")));
    }

    public static TheoryData<string, string?, int?, int?> Launches() => new()
    {
        { "", null, null, null },
        { "OMPI_COMM_WORLD_SIZE=4 OMPI_COMM_WORLD_RANK=3 PMIX_RANK=3", "mpirun", 4, 3 },
        { "SLURM_PROCID=1 SLURM_STEP_NUM_TASKS=2", "srun", 2, 1 }, // srun --mpi=none: refused before MPI_Init
        { "SLURM_PROCID=1 SLURM_STEP_NUM_TASKS=2 PMI_RANK=1", "pmi2", 2, 1 },
        { "SLURM_PROCID=0 SLURM_STEP_NUM_TASKS=2 PMIX_RANK=0", "pmix", 2, 0 },
        { "SLURM_PROCID=0 SLURM_NTASKS=4", null, null, null }, // an sbatch script (no step): one process
        { "SLURM_PROCID=0 SLURM_STEP_NUM_TASKS=1", null, null, null }, // srun of a single task
    };

    [Theory]
    [MemberData(nameof(Launches))]
    public void TheLaunchIsReadFromTheLaunchersEnvironment(string environment, string? launcher, int? size, int? rank)
    {
        var variables = environment.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => v.Split('=')).ToDictionary(v => v[0], v => v[1]);
        var launch = MpiLaunch.From(name => variables.GetValueOrDefault(name));
        Assert.Equal(new MpiLaunch(launcher, size, rank), launch);
        if (launcher == "srun") Assert.Contains("srun --mpi=pmix", Assert.Throws<UserError>(() => Collectives.FromLaunch(launch)).Message);
    }
}
