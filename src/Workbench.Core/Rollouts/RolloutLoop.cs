using System.Diagnostics;
using Workbench.Envs;

namespace Workbench.Rollouts;

/// <summary>
/// One episode in the rollout loop: its environment (already reset), who it is (task, seed, episode — what
/// <see cref="IEpisodeAware"/> policies key their randomness on), what the policy is shown, and, as it runs, the
/// actions taken, the last step and the time spent. <paramref name="show"/> turns the real observation after a step
/// into what the policy sees (robustness perturbations); <paramref name="tag"/> is the caller's own data.
/// </summary>
public sealed class RolloutEpisode(GridEnv env, Observation start, string task, long seed, int episode,
    Func<Observation, int, Observation>? show = null, object? tag = null)
{
    private readonly List<AgentAction> _actions = [];
    private readonly List<float> _rewards = [];

    public GridEnv Env { get; } = env;
    public string Task { get; } = task;
    public long Seed { get; } = seed;
    public int Episode { get; } = episode;
    public object? Tag { get; } = tag;

    /// <summary>What the policy is shown next (symbolic, plus pixels when the policy reads pixels).</summary>
    public Observation Shown { get; internal set; } = show?.Invoke(start, 0) ?? start;

    public IReadOnlyList<AgentAction> Actions => _actions;

    /// <summary>The reward of each step taken, aligned with <see cref="Actions"/>.</summary>
    public IReadOnlyList<float> Rewards => _rewards;

    /// <summary>The result of the last step; null before the first.</summary>
    public StepResult? Last { get; private set; }

    /// <summary>
    /// Σ over steps of the batched step that chose this episode's action — rendering the policy's observations (pixels for
    /// pixel-reading policies) and the policy call — i.e. what one action costs to decide; environment steps are not in it.
    /// </summary>
    public double LatencyMs { get; internal set; }

    /// <summary>This episode's share of the wall clock of every batched step it took part in (policy, environment, rendering).</summary>
    public double WallMs { get; internal set; }

    internal void Record(AgentAction action, StepResult result)
    {
        _actions.Add(action);
        _rewards.Add(result.Reward);
        Last = result;
        Shown = show?.Invoke(result.Observation, _actions.Count) ?? result.Observation;
    }
}

/// <summary>
/// The one batched rollout loop, shared by evals and training-time rollouts: up to <c>width</c> environments stepped in
/// lockstep, one <see cref="IPolicy.Act"/> call per step for every live episode, a new episode started in a slot as soon
/// as its last one ends. Observations are rendered for the policy's <see cref="IPolicy.Observes"/> spec here and nowhere
/// else, inside the timed region of each step, so an image model's latency includes making its image. Same episodes + deterministic policy ⇒ same actions, whatever the width (policies see only their own slots).
/// </summary>
public static class RolloutLoop
{
    /// <summary>
    /// Plays the episodes that <paramref name="episodes"/> yields (pulled lazily, one when a slot frees) and yields each
    /// one as it ends, in the order they finish.
    /// </summary>
    public static IEnumerable<RolloutEpisode> Run(IPolicy policy, IEnumerable<RolloutEpisode> episodes, int width,
        CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        var spec = policy.Observes;
        using var source = episodes.GetEnumerator();
        var slots = new RolloutEpisode?[width];
        bool more = true;
        policy.Reset(width);
        var clock = new Stopwatch();

        while (true)
        {
            for (int s = 0; s < width && more; s++)
            {
                if (slots[s] != null) continue;
                if (!(more = source.MoveNext())) break;
                var episode = source.Current;
                policy.ResetSlot(s);
                (policy as IEpisodeAware)?.BeginEpisode(s, episode.Task, episode.Seed, episode.Episode);
                slots[s] = episode;
            }
            var live = Enumerable.Range(0, width).Where(s => slots[s] != null).ToArray();
            if (live.Length == 0) yield break;
            cancel.ThrowIfCancellationRequested();

            // Latency of this step's actions: rendering what the policy reads (pixels) plus the batched policy call.
            clock.Restart();
            foreach (int s in live) Render(slots[s]!, spec);
            var actions = policy.Act(live, live.Select(s => slots[s]!.Shown).ToArray(), live.Select(s => slots[s]!.Env).ToArray());
            double actMs = clock.Elapsed.TotalMilliseconds;
            if (actions.Length != live.Length)
                throw new InvalidOperationException($"policy {policy.Name} returned {actions.Length} actions for {live.Length} episodes");

            for (int i = 0; i < live.Length; i++)
            {
                var episode = slots[live[i]]!;
                if (!Enum.IsDefined(actions[i]))
                    throw new InvalidOperationException($"policy {policy.Name} returned action {(int)actions[i]}, not an AgentAction");
                episode.Record(actions[i], episode.Env.Step(actions[i]));
                episode.LatencyMs += actMs;
            }
            double shareMs = clock.Elapsed.TotalMilliseconds / live.Length;
            foreach (int s in live)
            {
                var episode = slots[s]!;
                episode.WallMs += shareMs;
                if (!episode.Last!.IsDone) continue;
                slots[s] = null;
                yield return episode;
            }
        }
    }

    /// <summary>Adds the pixels a pixel-reading policy needs to what the episode shows (rendered from its environment, once per step).</summary>
    private static void Render(RolloutEpisode episode, ObservationSpec spec)
    {
        if (!spec.IsPixels) return;
        episode.Shown = episode.Shown with { Pixels = spec.Encode(episode.Env, episode.Shown) };
    }
}
