using System.Text.RegularExpressions;

namespace Workbench.Envs;

/// <summary>
/// A colour–object combination ("purple key") kept out of training to test compositional generalisation: dataset
/// recipes exclude it (<c>exclude_combos</c>), eval suites select missions that name it (<c>held_out_combos</c>).
/// </summary>
public readonly record struct ObjectCombo(Color Color, ObjectType Type)
{
    public override string ToString() => $"{Color.Name()} {Type.Name()}";

    /// <summary>"purple key" (any case, single spaces or more); false for anything else.</summary>
    public static bool TryParse(string text, out ObjectCombo combo)
    {
        string[] words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        combo = default;
        if (words.Length != 2) return false;
        var color = GridNames.Colors.Where(c => c.Name() == words[0].ToLowerInvariant()).ToList();
        var type = RoomGrid.DistractorTypes.Append(ObjectType.Door).Where(t => t.Name() == words[1].ToLowerInvariant()).ToList();
        if (color.Count != 1 || type.Count != 1) return false;
        combo = new ObjectCombo(color[0], type[0]);
        return true;
    }

    /// <summary>The combos of a config list; the caller has validated them.</summary>
    public static IReadOnlyList<ObjectCombo> ParseAll(IEnumerable<string> texts) =>
        texts.Select(t => TryParse(t, out var c) ? c : throw new ArgumentException($"'{t}' is not '<colour> <object>'")).ToArray();

    /// <summary>Whether the mission text names this combination ("go to the purple key").</summary>
    public bool NamedIn(string mission) => Regex.IsMatch(mission.ToLowerInvariant(), $@"\b{Color.Name()} {Type.Name()}\b");

    public bool Matches(WorldObject obj) => obj.Type == Type && obj.Color == Color;

    /// <summary>
    /// Whether an episode, just reset, involves any of the combos: its mission names one, or an object its instruction can
    /// be satisfied with is one ("go to a key" when one of the keys is purple) — so excluding these episodes keeps the
    /// combos out of both the words and the behaviour a model is trained on.
    /// </summary>
    public static bool Involves(GridEnv env, IReadOnlyList<ObjectCombo> combos)
    {
        if (combos.Count == 0) return false;
        if (combos.Any(c => c.NamedIn(env.Mission))) return true;
        foreach (var leaf in env.Verifier.Pending())
        {
            IEnumerable<ResolvedDesc> descs = leaf switch
            {
                GoToVerifier g => [g.Target],
                PickupVerifier p => [p.Target],
                OpenVerifier o => [o.Target],
                PutNextVerifier n => [n.Move, n.Fixed],
                PutNearLavaVerifier l => [l.Move],
                _ => [],
            };
            if (descs.SelectMany(d => d.Objects).Any(o => combos.Any(c => c.Matches(o)))) return true;
        }
        return false;
    }
}
