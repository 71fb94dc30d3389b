using Workbench.Envs;
using Workbench.Evals.Policies;
using Workbench.Evals.Runner;
using Workbench.Evals.Suites;
using Workbench.Rollouts;
using static Workbench.Tests.Evals.RunnerTestSupport;

namespace Workbench.Tests.Evals;

public class RunnerPerturbationTests
{
    private static (GridEnv Env, EpisodePerturbation P, Observation Real) Start(PerturbationConfig config, long seed = 3, int episode = 0, string level = "GoToLocal")
    {
        var env = LevelRegistry.Create(level);
        var obs = env.Reset(seed);
        return (env, EpisodePerturbation.For(config, "task", seed, episode, env)!, obs);
    }

    [Fact]
    public void Paraphrase_rewords_the_mission_the_same_way_every_time()
    {
        var config = new PerturbationConfig { Paraphrase = true };
        var (env, p, real) = Start(config);
        Assert.StartsWith("go to", env.Mission);
        Assert.DoesNotContain("go to", p.Mission);
        Assert.Equal(p.Mission, p.Apply(real, env, 0).Mission);
        Assert.Equal(p.Mission, Start(config).P.Mission);
    }

    [Fact]
    public void Observation_noise_changes_some_visible_cells_deterministically_per_step()
    {
        var config = new PerturbationConfig { ObservationNoise = 0.3 };
        var (env, p, real) = Start(config);
        var noisy0 = p.Apply(real, env, 0).Symbolic;
        var noisy1 = p.Apply(real, env, 1).Symbolic;
        Assert.NotEqual(real.Symbolic, noisy0);
        Assert.NotEqual(noisy0, noisy1);
        Assert.Equal(noisy0, Start(config).P.Apply(real, env, 0).Symbolic);
        for (int i = 0; i < real.Symbolic.Length; i += 3)
            if (real.Symbolic[i] == 0) Assert.Equal(0, noisy0[i]); // unseen cells stay unseen
    }

    [Fact]
    public void Phantom_distractors_are_painted_on_free_floor_and_never_of_the_mission_type()
    {
        var config = new PerturbationConfig { ExtraDistractors = 6 };
        int painted = 0;
        for (long seed = 0; seed < 20; seed++)
        {
            var (env, p, real) = Start(config, seed, level: "GoToRedBallNoDists");
            var shown = p.Apply(real, env, 0).Symbolic;
            for (int i = 0; i < shown.Length; i += 3)
            {
                if (shown[i] == real.Symbolic[i]) continue;
                Assert.Equal((byte)ObjectType.Empty, real.Symbolic[i]);
                Assert.NotEqual((byte)ObjectType.Ball, shown[i]); // the mission is about a ball
                painted++;
            }
        }
        Assert.True(painted > 0, "no phantom came into view in 20 episodes");
    }

    [Fact]
    public void Held_out_combo_tasks_only_run_missions_naming_a_held_out_combo()
    {
        var suite = Suite("""
            name: held-out
            version: 1
            tasks:
              - name: t
                level: GoToLocal
                seeds: {start: 1, count: 6}
                scorers: [success]
                perturbation: {held_out_combos: [purple key, yellow box]}
            """);
        var records = RunSuite(suite, new BotPolicy(), Path.Combine(TempDir(), "h.parquet")).Records;
        Assert.Equal(6, records.Count);
        Assert.All(records, r => Assert.True(r.Mission.Contains("purple key") || r.Mission.Contains("yellow box"), r.Mission));
        Assert.Equal(6, records.Select(r => r.EnvSeed).Distinct().Count());
        Assert.All(records, r => Assert.True(r.Success));
    }

    [Fact]
    public void Bot_is_unaffected_by_perturbations_it_does_not_read()
    {
        var records = RunSuite(Suite(SmallSuite), new BotPolicy(), Path.Combine(TempDir(), "p.parquet")).Records;
        Assert.All(records, r => Assert.True(r.Success, r.Key.ToString()));
        Assert.All(records.Where(r => r.Task == "pickup-noisy"), r => Assert.DoesNotContain("pick up", r.Mission));
    }

    [Fact]
    public void Shard_spec_is_parsed_and_checked()
    {
        Assert.Equal(new Shard(2, 4), Shard.Parse("2/4"));
        Assert.Throws<UserError>(() => Shard.Parse("5/4"));
        Assert.Throws<UserError>(() => Shard.Parse("0/4"));
        Assert.Throws<UserError>(() => Shard.Parse("x"));
    }
}
