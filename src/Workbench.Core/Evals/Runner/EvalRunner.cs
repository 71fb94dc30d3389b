using System.Globalization;
using Workbench.Envs;
using Workbench.Evals.Records;
using Workbench.Evals.Scoring;
using Workbench.Evals.Suites;
using Workbench.Rollouts;
using Workbench.Runtime;

namespace Workbench.Evals.Runner;

/// <summary>How to run a suite.</summary>
public sealed record EvalRunOptions
{
    /// <summary>Result file (Parquet); its journal sits beside it while the run is unfinished.</summary>
    public required string OutputPath { get; init; }

    /// <summary>Episodes stepped in lockstep; one policy call per step serves all of them.</summary>
    public int BatchSize { get; init; } = 32;

    public Shard Shard { get; init; } = Shard.All;

    /// <summary>Ignore (delete) an existing journal instead of resuming from it.</summary>
    public bool Fresh { get; init; }

    /// <summary>Hash of the resolved suite; a journal of a different suite content is not resumed.</summary>
    public string SuiteSha256 { get; init; } = "";

    /// <summary>sha256 of the policy's checkpoint file ("" for policies without one); recorded in every record and the journal.</summary>
    public string CheckpointSha256 { get; init; } = "";

    /// <summary>The code commit recorded in every record (<see cref="Provenance.CurrentCommit"/>).</summary>
    public string CodeCommit { get; init; } = "unknown";

    /// <summary>Where the progress bar draws (null: stderr).</summary>
    public TextWriter? ProgressWriter { get; init; }

    public CancellationToken Cancel { get; init; }
}

/// <summary>The records of a finished run (canonical order) and how many were resumed from a journal.</summary>
public sealed record EvalRunResult(IReadOnlyList<EpisodeRecord> Records, int Resumed, int Ran, string OutputPath);

/// <summary>
/// Runs a suite with one policy through the shared <see cref="RolloutLoop"/> (N environments in lockstep, one
/// <see cref="IPolicy.Act"/> call per step for every live episode). Each finished episode is
/// appended to a journal at once, so an interrupted run resumes without redoing it; at the end the records are
/// written to Parquet atomically and the journal is removed. Same suite + policy ⇒ same records (timings aside).
/// </summary>
public static class EvalRunner
{
    public static EvalRunResult Run(SuiteConfig suite, IPolicy policy, PolicyId id, EvalRunOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        var items = EvalPlan.Items(suite, options.Shard);
        string journalPath = EpisodeJournal.PathFor(options.OutputPath);
        if (options.Fresh && File.Exists(journalPath)) File.Delete(journalPath);
        var header = new JournalHeader(suite.Name, suite.Version, options.SuiteSha256, id.Spec, options.Shard.ToString(),
            options.CheckpointSha256, options.CodeCommit);

        List<EpisodeRecord> records;
        int resumed;
        int ran = 0;
        using (var journal = EpisodeJournal.Open(journalPath, header))
        {
            var planned = items.Select(i => i.Key).ToHashSet();
            records = journal.Finished.Where(r => planned.Contains(r.Key)).DistinctBy(r => r.Key).ToList();
            resumed = records.Count;
            var done = records.Select(r => r.Key).ToHashSet();
            var queue = new Queue<EvalItem>(items.Where(i => !done.Contains(i.Key)));
            if (queue.Count > 0)
            {
                using var progress = new ProgressBar($"eval {suite.Name} ({id.Spec}{(options.Shard.Count > 1 ? ", shard " + options.Shard : "")})",
                    queue.Count, options.ProgressWriter);
                if (resumed > 0)
                    (options.ProgressWriter ?? Console.Error).WriteLine($"resuming: {resumed} of {items.Count} episodes already in {journalPath}");
                foreach (var record in RunEpisodes(suite, policy, id, queue, options, progress))
                {
                    journal.Append(record);
                    records.Add(record);
                    ran++;
                }
            }
        }

        var sorted = records.Order(EpisodeOrder.Instance).ToList();
        EpisodeRecordFile.Write(options.OutputPath, sorted, new ResultFileInfo(options.Shard.ToString(), options.SuiteSha256, id.Spec));
        File.Delete(journalPath);
        return new EvalRunResult(sorted, resumed, ran, options.OutputPath);
    }

    private static IEnumerable<EpisodeRecord> RunEpisodes(SuiteConfig suite, IPolicy policy, PolicyId id, Queue<EvalItem> queue,
        EvalRunOptions options, ProgressBar progress)
    {
        int width = Math.Min(options.BatchSize, queue.Count);
        var botSteps = new Dictionary<(string Episode, long Seed), int?>();
        int finished = 0, successes = 0;
        var starts = Drain(queue).Select(Start);
        foreach (var episode in RolloutLoop.Run(policy, starts, width, options.Cancel))
        {
            var record = Finish(suite, id, episode, botSteps, options);
            finished++;
            if (record.Success) successes++;
            progress.Advance(1, FormattableString.Invariant($"success {100.0 * successes / finished:0}%"));
            yield return record;
        }
    }

    private static IEnumerable<EvalItem> Drain(Queue<EvalItem> queue)
    {
        while (queue.Count > 0) yield return queue.Dequeue();
    }

    /// <summary>An item's episode: its environment reset (held-out-combo scans pick the env seed) and its perturbation.</summary>
    private static RolloutEpisode Start(EvalItem item)
    {
        var env = CreateEnv(item);
        long seed = item.LayoutSeed ?? item.Seed;
        long envSeed = item.Task.Perturbation is { HeldOutCombos.Count: > 0 } p
            ? EpisodePerturbation.HeldOutEnvSeed(env, seed, p.HeldOutCombos, item.Task.Name)
            : seed;
        var observation = env.Reset(envSeed);
        var perturbation = EpisodePerturbation.For(item.Task.Perturbation, item.Task.Name, item.Seed, item.Episode, env);
        Func<Observation, int, Observation>? show = perturbation is null ? null : (o, step) => perturbation.Apply(o, env, step);
        return new RolloutEpisode(env, observation, item.Task.Name, item.Seed, item.Episode, show, new Started(item, envSeed));
    }

    private sealed record Started(EvalItem Item, long EnvSeed);

    private static GridEnv CreateEnv(EvalItem item)
    {
        try
        {
            return item.CreateEnv();
        }
        catch (ArgumentException e)
        {
            throw new UserError($"task '{item.Task.Name}': {e.Message}", e);
        }
        catch (FileNotFoundException e)
        {
            throw new UserError($"task '{item.Task.Name}' (level {item.Level}): {e.Message}", e);
        }
    }

    private static EpisodeRecord Finish(SuiteConfig suite, PolicyId id, RolloutEpisode episode, Dictionary<(string, long), int?> botStepsCache,
        EvalRunOptions options)
    {
        var (item, envSeed) = (Started)episode.Tag!;
        var task = item.Task;
        var env = episode.Env;
        var scorers = task.Scorers.Select(ScorerRegistry.Get).ToList();
        int? botSteps = null;
        if (scorers.Any(s => s.NeedsBotSteps))
        {
            // File missions differ from the level's own, so the expert is cached per mission.
            var key = (item.Mission is { } m ? $"{m.Level}\n{m.Mission}\n{m.Means}" : task.Level, envSeed);
            if (!botStepsCache.TryGetValue(key, out botSteps))
                botStepsCache[key] = botSteps = BotSteps(CreateEnv(item), envSeed);
        }
        bool fashion = scorers.Any(s => s.NeedsFashionClasses);
        var (harmAttempted, firstFaced) = Replay(item, envSeed, episode, harm: scorers.Any(s => s.NeedsHarmTrace), firstFaced: fashion);
        int? target = null, reached = null;
        if (fashion)
        {
            target = env.Instruction switch
            {
                GoToInstr g => g.Target.FashionClass,
                PickupInstr p => p.Target.FashionClass,
                _ => null,
            };
            reached = PictureAt(env) ?? -1;
        }
        var outcome = episode.Last!.Outcome;
        return new EpisodeRecord
        {
            Model = id.Model,
            Version = id.Version,
            Suite = suite.Name,
            SuiteVersion = suite.Version,
            Task = task.Name,
            Level = item.Level,
            Seed = item.Seed,
            Episode = item.Episode,
            EnvSeed = envSeed,
            Success = outcome.Success,
            Reward = episode.Last.Reward,
            Steps = episode.Actions.Count,
            Unsafe = outcome.Unsafe,
            Refused = outcome.Refused,
            LatencyMs = episode.LatencyMs / episode.Actions.Count,
            WallMs = episode.WallMs,
            Mission = episode.Shown.Mission,
            Actions = string.Join(',', episode.Actions.Select(a => ((int)a).ToString(CultureInfo.InvariantCulture))),
            BotSteps = botSteps,
            TargetClass = target,
            ReachedClass = reached,
            FirstFacedClass = firstFaced,
            CheckpointSha256 = options.CheckpointSha256,
            SuiteSha256 = options.SuiteSha256,
            CodeCommit = options.CodeCommit,
            HarmAttempted = harmAttempted,
        };
    }

    /// <summary>
    /// Replays the episode's actions once in a fresh environment of the same item and seed (the world is deterministic)
    /// for what the scorers asked: a <see cref="HarmMonitor"/> (did it do harm, or go straight for the lava?) and the class
    /// of the first Fashion-MNIST picture the agent faced or picked up (−1 when it never did).
    /// </summary>
    private static (bool? HarmAttempted, int? FirstFaced) Replay(EvalItem item, long envSeed, RolloutEpisode episode, bool harm, bool firstFaced)
    {
        if (!harm && !firstFaced) return (null, null);
        var env = CreateEnv(item);
        env.Reset(envSeed);
        var monitor = harm ? new HarmMonitor(env) : null;
        int? first = PictureAt(env);
        var buffer = new byte[Observation.SymbolicLength];
        StepStatus status = default;
        foreach (var action in episode.Actions)
        {
            status = env.Step(action, buffer);
            monitor?.Observe(action, status);
            first ??= PictureAt(env);
        }
        if (status.Outcome != episode.Last!.Outcome || env.StepCount != episode.Actions.Count)
            throw new InvalidOperationException($"task '{item.Task.Name}', seed {item.Seed}, episode {item.Episode}: the replay ended {status.Outcome} " +
                                                $"after {env.StepCount} steps, the episode {episode.Last.Outcome} after {episode.Actions.Count}");
        return (monitor?.Attempted, firstFaced ? first ?? -1 : null);
    }

    /// <summary>Class of the Fashion-MNIST picture held, else faced; null when neither.</summary>
    private static int? PictureAt(GridEnv env) =>
        env.Carrying is { Type: ObjectType.FashionItem } held ? held.FashionClass
        : env.FrontCell is { Type: ObjectType.FashionItem } faced ? faced.FashionClass
        : null;

    /// <summary>Steps the expert needs on this environment seed; null when the bot does not succeed (its grade is then missing, an error).</summary>
    public static int? BotSteps(string level, long envSeed) => BotSteps(LevelRegistry.Create(level), envSeed);

    private static int? BotSteps(GridEnv env, long envSeed)
    {
        env.Reset(envSeed);
        var bot = new Bot(env);
        StepResult? last = null;
        while (!env.IsFinished) last = env.Step(bot.Act());
        return last is { Outcome.Success: true } ? env.StepCount : null;
    }
}
