using System.Diagnostics;
using System.Globalization;
using Workbench.Envs;
using Workbench.Evals.Records;
using Workbench.Evals.Scoring;
using Workbench.Evals.Suites;
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

    /// <summary>Where the progress bar draws (null: stderr).</summary>
    public TextWriter? ProgressWriter { get; init; }

    public CancellationToken Cancel { get; init; }
}

/// <summary>The records of a finished run (canonical order) and how many were resumed from a journal.</summary>
public sealed record EvalRunResult(IReadOnlyList<EpisodeRecord> Records, int Resumed, int Ran, string OutputPath);

/// <summary>
/// Runs a suite with one policy: N environments stepped in lockstep, one <see cref="IPolicy.Act"/> call per step for
/// every live episode, a new episode started in a slot as soon as its last one ends. Each finished episode is
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
        var header = new JournalHeader(suite.Name, suite.Version, options.SuiteSha256, id.Spec, options.Shard.ToString());

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

    private sealed class Slot
    {
        public required EvalItem Item;
        public required GridEnv Env;
        public required long EnvSeed;
        public required EpisodePerturbation? Perturbation;
        public required Observation Shown;
        public readonly List<int> Actions = [];
        public double LatencyMs;
        public double WallMs;
        public StepResult? Last;
    }

    private static IEnumerable<EpisodeRecord> RunEpisodes(SuiteConfig suite, IPolicy policy, PolicyId id, Queue<EvalItem> queue,
        EvalRunOptions options, ProgressBar progress)
    {
        int width = Math.Min(options.BatchSize, queue.Count);
        var slots = new Slot?[width];
        var botSteps = new Dictionary<(string Level, long Seed), int?>();
        policy.Reset(width);
        int finished = 0, successes = 0;
        var clock = new Stopwatch();

        while (true)
        {
            for (int s = 0; s < width; s++)
            {
                if (slots[s] != null || queue.Count == 0) continue;
                slots[s] = Start(queue.Dequeue(), policy, s);
            }
            var live = Enumerable.Range(0, width).Where(s => slots[s] != null).ToArray();
            if (live.Length == 0) yield break;
            options.Cancel.ThrowIfCancellationRequested();

            clock.Restart();
            var actions = policy.Act(live, live.Select(s => slots[s]!.Shown).ToArray(), live.Select(s => slots[s]!.Env).ToArray());
            double actMs = clock.Elapsed.TotalMilliseconds;
            if (actions.Length != live.Length)
                throw new InvalidOperationException($"policy {policy.Name} returned {actions.Length} actions for {live.Length} episodes");

            for (int i = 0; i < live.Length; i++)
            {
                var slot = slots[live[i]]!;
                if (!Enum.IsDefined(actions[i]))
                    throw new InvalidOperationException($"policy {policy.Name} returned action {(int)actions[i]}, not an AgentAction");
                slot.Last = slot.Env.Step(actions[i]);
                slot.Actions.Add((int)actions[i]);
                slot.LatencyMs += actMs;
                slot.Shown = slot.Perturbation?.Apply(slot.Last.Observation, slot.Env, slot.Actions.Count) ?? slot.Last.Observation;
            }
            double shareMs = clock.Elapsed.TotalMilliseconds / live.Length;
            foreach (int s in live)
            {
                var slot = slots[s]!;
                slot.WallMs += shareMs;
                if (!slot.Last!.IsDone) continue;
                var record = Finish(suite, id, slot, botSteps);
                slots[s] = null;
                finished++;
                if (record.Success) successes++;
                progress.Advance(1, FormattableString.Invariant($"success {100.0 * successes / finished:0}%"));
                yield return record;
            }
        }
    }

    private static Slot Start(EvalItem item, IPolicy policy, int slot)
    {
        var env = CreateEnv(item.Task);
        long envSeed = item.Task.Perturbation is { HeldOutCombos.Count: > 0 } p
            ? EpisodePerturbation.HeldOutEnvSeed(env, item.Seed, p.HeldOutCombos, item.Task.Name)
            : item.Seed;
        var observation = env.Reset(envSeed);
        var perturbation = EpisodePerturbation.For(item.Task.Perturbation, item.Task.Name, item.Seed, item.Episode, env);
        policy.ResetSlot(slot);
        (policy as IEpisodeAware)?.BeginEpisode(slot, item.Task.Name, item.Seed, item.Episode);
        return new Slot
        {
            Item = item,
            Env = env,
            EnvSeed = envSeed,
            Perturbation = perturbation,
            Shown = perturbation?.Apply(observation, env, 0) ?? observation,
        };
    }

    private static GridEnv CreateEnv(TaskConfig task)
    {
        try
        {
            return LevelRegistry.Create(task.Level);
        }
        catch (ArgumentException e)
        {
            throw new UserError($"task '{task.Name}': {e.Message}", e);
        }
        catch (FileNotFoundException e)
        {
            throw new UserError($"task '{task.Name}' (level {task.Level}): {e.Message}", e);
        }
    }

    private static EpisodeRecord Finish(SuiteConfig suite, PolicyId id, Slot slot, Dictionary<(string, long), int?> botStepsCache)
    {
        var task = slot.Item.Task;
        var scorers = task.Scorers.Select(ScorerRegistry.Get).ToList();
        int? botSteps = null;
        if (scorers.Any(s => s.NeedsBotSteps))
        {
            var key = (task.Level, slot.EnvSeed);
            if (!botStepsCache.TryGetValue(key, out botSteps))
                botStepsCache[key] = botSteps = BotSteps(task.Level, slot.EnvSeed);
        }
        int? target = null, reached = null;
        if (scorers.Any(s => s.NeedsFashionClasses))
        {
            target = slot.Env.Instruction switch
            {
                GoToInstr g => g.Target.FashionClass,
                PickupInstr p => p.Target.FashionClass,
                _ => null,
            };
            reached = slot.Env.Carrying is { Type: ObjectType.FashionItem } held ? held.FashionClass
                : slot.Env.FrontCell is { Type: ObjectType.FashionItem } faced ? faced.FashionClass
                : -1;
        }
        var outcome = slot.Last!.Outcome;
        return new EpisodeRecord
        {
            Model = id.Model,
            Version = id.Version,
            Suite = suite.Name,
            SuiteVersion = suite.Version,
            Task = task.Name,
            Level = task.Level,
            Seed = slot.Item.Seed,
            Episode = slot.Item.Episode,
            EnvSeed = slot.EnvSeed,
            Success = outcome.Success,
            Reward = slot.Last.Reward,
            Steps = slot.Actions.Count,
            Unsafe = outcome.Unsafe,
            Refused = outcome.Refused,
            LatencyMs = slot.LatencyMs / slot.Actions.Count,
            WallMs = slot.WallMs,
            Mission = slot.Shown.Mission,
            Actions = string.Join(',', slot.Actions.Select(a => a.ToString(CultureInfo.InvariantCulture))),
            BotSteps = botSteps,
            TargetClass = target,
            ReachedClass = reached,
        };
    }

    /// <summary>Steps the expert needs on this environment seed; null when the bot does not succeed (its grade is then missing, an error).</summary>
    public static int? BotSteps(string level, long envSeed)
    {
        var env = LevelRegistry.Create(level);
        env.Reset(envSeed);
        var bot = new Bot(env);
        StepResult? last = null;
        while (!env.IsFinished) last = env.Step(bot.Act());
        return last is { Outcome.Success: true } ? env.StepCount : null;
    }
}
