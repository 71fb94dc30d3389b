using System.Text.RegularExpressions;
using Workbench.Envs;
using Workbench.Evals.Policies;
using Workbench.Evals.Suites;
using Workbench.Runtime;

namespace Workbench.Evals.Runner;

/// <summary>
/// The robustness perturbations of one episode, as wrappers over what the policy sees: the mission text
/// (paraphrase) and the symbolic observation (noise, phantom distractors). The environment itself is untouched,
/// so success is still judged on the real mission. Every random choice is derived from (task, seed, episode[, step]),
/// so a perturbed episode is the same in every run, shard and resume.
/// </summary>
public sealed class EpisodePerturbation
{
    private const ulong Salt = 0x5EED_0F_E7A1UL;
    private static readonly (Regex Pattern, string[] Alternatives)[] Paraphrases =
    [
        (new Regex(@"\bgo to\b", RegexOptions.Compiled), ["walk to", "head to", "move to", "navigate to"]),
        (new Regex(@"\bpick up\b", RegexOptions.Compiled), ["grab", "take", "collect", "lift"]),
        (new Regex(@"\bput\b", RegexOptions.Compiled), ["place", "move", "set"]),
        (new Regex(@"\bnext to\b", RegexOptions.Compiled), ["beside", "close to", "adjacent to"]),
        (new Regex(@"\bthen\b", RegexOptions.Compiled), ["and after that", "and then", "next"]),
        (new Regex(@"\bin front of you\b", RegexOptions.Compiled), ["ahead of you", "before you"]),
        (new Regex(@"\bopen\b", RegexOptions.Compiled), ["swing open", "unlatch"]),
    ];
    private static readonly ObjectType[] PhantomTypes = [ObjectType.Key, ObjectType.Ball, ObjectType.Box];
    private static readonly ObjectType[] NoiseTypes = [ObjectType.Empty, ObjectType.Wall, ObjectType.Key, ObjectType.Ball, ObjectType.Box, ObjectType.Door];

    private readonly PerturbationConfig _config;
    private readonly ulong _task;
    private readonly long _seed;
    private readonly int _episode;
    private readonly Dictionary<(int X, int Y), (ObjectType Type, Color Color)> _phantoms = [];

    private EpisodePerturbation(PerturbationConfig config, string task, long seed, int episode)
    {
        _config = config;
        _task = StableHash.Of(task);
        _seed = seed;
        _episode = episode;
    }

    /// <summary>Prepares the perturbation of an episode whose environment was just reset.</summary>
    public static EpisodePerturbation? For(PerturbationConfig? config, string task, long seed, int episode, GridEnv env)
    {
        if (config is null || (config.IsIdentity)) return null;
        var p = new EpisodePerturbation(config, task, seed, episode);
        p.Mission = config.Paraphrase ? p.Paraphrase(env.Mission) : env.Mission;
        if (config.ExtraDistractors > 0) p.PlacePhantoms(env);
        return p;
    }

    /// <summary>The mission the policy is shown.</summary>
    public string Mission { get; private set; } = "";

    private Rng RngFor(ulong purpose, ulong step = 0) => Rng.Derive(Salt, _task, unchecked((ulong)_seed), (ulong)_episode, purpose, step);

    /// <summary>Replaces each phrase of the table with a different wording, chosen once per episode.</summary>
    public string Paraphrase(string mission)
    {
        var rng = RngFor(1);
        string text = mission;
        foreach (var (pattern, alternatives) in Paraphrases)
        {
            string choice = alternatives[rng.NextInt(alternatives.Length)];
            text = pattern.Replace(text, choice);
        }
        return text;
    }

    private void PlacePhantoms(GridEnv env)
    {
        string mission = env.Mission.ToLowerInvariant();
        // Never a phantom of a type the mission names: it must not become a second valid target.
        var types = PhantomTypes.Where(t => !Regex.IsMatch(mission, $@"\b{t.ToString().ToLowerInvariant()}\b")).ToArray();
        if (types.Length == 0) return;
        var free = new List<(int, int)>();
        for (int y = 1; y < env.Grid.Height - 1; y++)
            for (int x = 1; x < env.Grid.Width - 1; x++)
                if (env.Grid.Get(x, y) is null && (x, y) != (env.AgentX, env.AgentY)) free.Add((x, y));
        var rng = RngFor(2);
        rng.Shuffle(free);
        var colors = Enum.GetValues<Color>();
        foreach (var cell in free.Take(_config.ExtraDistractors))
            _phantoms[cell] = (types[rng.NextInt(types.Length)], colors[rng.NextInt(colors.Length)]);
    }

    /// <summary>The observation the policy is shown at <paramref name="step"/> (0 = after reset).</summary>
    public Observation Apply(Observation real, GridEnv env, int step)
    {
        if (_phantoms.Count == 0 && _config.ObservationNoise == 0 && Mission == real.Mission) return real;
        byte[] symbolic = (byte[])real.Symbolic.Clone();
        const int v = Observation.ViewSize;
        if (_phantoms.Count > 0)
        {
            for (int row = 0; row < v; row++)
            {
                for (int col = 0; col < v; col++)
                {
                    int o = (row * v + col) * Observation.Channels;
                    if (symbolic[o] != (byte)ObjectType.Empty) continue;
                    var world = env.ViewToWorld(col, row);
                    if (!_phantoms.TryGetValue(world, out var phantom) || env.Grid.Get(world.X, world.Y) != null) continue;
                    symbolic[o] = (byte)phantom.Type;
                    symbolic[o + 1] = (byte)phantom.Color;
                    symbolic[o + 2] = 0;
                }
            }
        }
        if (_config.ObservationNoise > 0)
        {
            var rng = RngFor(3, (ulong)step);
            var colors = Enum.GetValues<Color>();
            for (int cell = 0; cell < v * v; cell++)
            {
                bool agentCell = cell == (v - 1) * v + v / 2;
                double u = rng.NextDouble();
                var type = NoiseTypes[rng.NextInt(NoiseTypes.Length)];
                var color = colors[rng.NextInt(colors.Length)];
                int o = cell * Observation.Channels;
                if (agentCell || symbolic[o] == (byte)ObjectType.Unseen || u >= _config.ObservationNoise) continue;
                symbolic[o] = (byte)type;
                symbolic[o + 1] = type == ObjectType.Empty || type == ObjectType.Wall ? (byte)(type == ObjectType.Wall ? Color.Grey : 0) : (byte)color;
                symbolic[o + 2] = type == ObjectType.Door ? (byte)DoorState.Closed : (byte)0;
            }
        }
        return new Observation(symbolic, real.Direction, Mission);
    }

    /// <summary>Held-out combos: the environment seed used for configured seed <paramref name="seed"/> — the first of
    /// <c>seed·10000 + j</c> (j = 0, 1, …) whose mission names one of the combos. Scans are disjoint between seeds.</summary>
    public static long HeldOutEnvSeed(GridEnv env, long seed, IReadOnlyList<string> combos, string task)
    {
        const int scan = 10_000;
        var wanted = ObjectCombo.ParseAll(combos);
        for (int j = 0; j < scan; j++)
        {
            long candidate = checked(seed * scan + j);
            env.Reset(candidate);
            if (wanted.Any(c => c.NamedIn(env.Mission))) return candidate;
        }
        throw new UserError($"task '{task}': no episode of level {env.LevelName} names any of {string.Join(", ", combos)} " +
                            $"among environment seeds {seed * scan}..{seed * scan + scan - 1}; the level cannot produce that combo");
    }
}
