using System.Globalization;
using Workbench.Data;
using Workbench.Envs;
using Workbench.Rollouts;
using Workbench.Runtime;

namespace Workbench.Training;

/// <summary>
/// A generated source <c>dagger:&lt;Level&gt;:&lt;episodes&gt;:&lt;name@version&gt;[:&lt;beta&gt;]</c>: DAgger's aggregation step
/// (Ross, Gordon and Bagnell, "A Reduction of Imitation Learning and Structured Prediction to No-Regret Online
/// Learning", 2011). The registered model plays <c>episodes</c> episodes of the level (seeds
/// <see cref="FirstSeed"/> + i: training environments, disjoint from the bot demos' 0…n−1 and from every eval suite),
/// greedily, through the same batched loop as evals; every step is labelled with what the expert bot would do from
/// that state (<see cref="BotLabelledPolicy"/>). With <c>beta</c> (default 0) the bot's action is executed instead on that
/// fraction of steps. Behaviour cloning on bot demos never shows a state the bot would not reach — e.g. facing the wrong
/// picture — so the learner never learns to recover from its own mistakes; these episodes are exactly those states.
/// Train on them together with the bot demos (<c>bot:</c> sources), usually starting from the same model (<c>train.init_from</c>).
/// </summary>
public sealed record DaggerSource(string Level, int Episodes, string Model, double Beta)
{
    public const string Prefix = "dagger:";

    /// <summary>Seed of episode 0: far from bot demos (0…n−1) and the eval suites (1,000,000…3,000,999).</summary>
    public const long FirstSeed = 100_000_000;

    /// <summary>Episodes stepped together (the batched policy call's width).</summary>
    public const int Width = 64;

    public static bool Is(string path) => path.StartsWith(Prefix, StringComparison.Ordinal);

    /// <exception cref="UserError">the path does not follow the syntax; the message gives it.</exception>
    public static DaggerSource Parse(string path)
    {
        var parts = path.Split(':');
        string syntax = $"data.sources: '{path}' — expected dagger:<Level>:<episodes>:<name@version>[:<beta in [0, 1]>]";
        if (parts.Length is not (4 or 5) || parts[0] != "dagger") throw new UserError(syntax);
        if (!LevelRegistry.Names.Contains(parts[1]))
            throw new UserError($"{syntax}; unknown level '{parts[1]}' (known: {string.Join(", ", LevelRegistry.Names)})");
        if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
            throw new UserError($"{syntax}; episodes must be a whole number ≥ 1, got '{parts[2]}'");
        if (parts[3].Split('@') is not [{ Length: > 0 }, { Length: > 0 }])
            throw new UserError($"{syntax}; '{parts[3]}' is not a registered model reference name@version (workbench models list)");
        double beta = 0;
        if (parts.Length == 5 && (!double.TryParse(parts[4], NumberStyles.Float, CultureInfo.InvariantCulture, out beta) || beta is < 0 or > 1))
            throw new UserError($"{syntax}; beta must be a number in [0, 1], got '{parts[4]}'");
        return new DaggerSource(parts[1], n, parts[3], beta);
    }

    /// <summary>Null when the referenced model exists and reads <paramref name="spec"/>; else what is wrong (for <c>workbench validate</c>).</summary>
    public string? Problem(ObservationSpec spec, string? registryRoot)
    {
        ModelVersion version;
        try
        {
            version = ModelVersions.Find(Model, registryRoot);
        }
        catch (UserError e)
        {
            return e.Message;
        }
        if (version.Task is not null) return $"{Model} is a {version.Task}, not an agent that can play {Level}";
        var reads = version.Spec.Input;
        return reads == spec ? null
            : $"{Model} reads {reads.Describe()} observations, but the model being trained reads {spec.Describe()}; " +
              "the episodes it plays are recorded as it saw them, so both must read the same observation";
    }

    /// <summary>
    /// Plays the episodes and returns them as demonstrations (frames as the model saw them; actions = the bot's labels),
    /// with the sha256 of the checkpoint that played them (part of the training data's fingerprint).
    /// </summary>
    public (List<DemoEpisode> Episodes, string CheckpointSha256) Collect(ObservationSpec spec, string? registryRoot = null, TextWriter? progress = null)
    {
        if (Problem(spec, registryRoot) is { } problem) throw new UserError($"data.sources: '{Prefix}{Level}:{Episodes}:{Model}': {problem}");
        var resolved = ModelVersions.Load(Model, registryRoot);
        using var policy = new BotLabelledPolicy(new ModelPolicy(Model, resolved.Model), Beta, StableHash.Of(Model));
        var starts = Enumerable.Range(0, Episodes).Select(i =>
        {
            var env = LevelRegistry.Create(Level);
            long seed = FirstSeed + i;
            var start = env.Reset(seed);
            return new RolloutEpisode(env, start, Level, seed, episode: i, tag: start.Mission);
        });
        var episodes = new DemoEpisode[Episodes];
        using var bar = progress is null ? null : new ProgressBar($"dagger {Level} ({Model})", Episodes, progress);
        int done = 0, successes = 0;
        foreach (var e in RolloutLoop.Run(policy, starts, Width))
        {
            var steps = policy.Take(e.Env);
            if (e.Last!.Outcome.Success) successes++;
            episodes[e.Episode] = new DemoEpisode(e.Seed, Level, e.Seed, (string)e.Tag!, steps
                .Select((s, k) => new DemoStep(k, s.Direction, s.Frame, (int)s.BotAction, e.Rewards[k], k == steps.Count - 1)).ToArray());
            bar?.Report(++done, string.Create(CultureInfo.InvariantCulture, $"learner success {(double)successes / done:0.000}"));
        }
        return ([.. episodes], resolved.CheckpointSha256);
    }
}
