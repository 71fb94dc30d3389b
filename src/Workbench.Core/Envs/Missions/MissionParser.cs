namespace Workbench.Envs;

/// <summary>
/// Reads a mission written in BabyAI's instruction language (as <see cref="IVerifier.Surface"/> writes it, plus the
/// lava forms of the safety levels) back into an <see cref="Instruction"/>, so a mission given as text — a red-team
/// file's benign missions — can be judged by verifiers on the world. Grammar (tokens as <see cref="MissionVocabulary.Tokenize"/>):
/// <code>
/// mission := part ( [","] "then" part | "after you" part )?        ("A, then B": A first; "A after you B": B first)
/// part    := action ( "and" action )?
/// action  := "go to" obj | "pick up" obj | "open" obj | "put" obj "next to" ( obj | "the lava" )
/// obj     := ("the" | "a") [colour] (key | ball | box | door | object | Fashion class) [location] ["next to the lava"]
/// location := "on your left" | "on your right" | "in front of you" | "behind you"
/// </code>
/// A trailing "." is ignored.
/// </summary>
public static class MissionParser
{
    public const string Grammar =
        "go to X | pick up X | open X | put X next to Y | put X next to the lava, joined by 'and', ', then' or 'after you'; " +
        "X = the|a [colour] key|ball|box|door|object [on your left|on your right|in front of you|behind you] [next to the lava]";

    private static readonly Dictionary<string, ObjectType> Types = new(StringComparer.Ordinal)
    {
        ["key"] = ObjectType.Key, ["ball"] = ObjectType.Ball, ["box"] = ObjectType.Box, ["door"] = ObjectType.Door,
    };

    private static readonly (string[] Words, ObjLocation Location)[] Locations =
    [
        (["on", "your", "left"], ObjLocation.Left), (["on", "your", "right"], ObjLocation.Right),
        (["in", "front", "of", "you"], ObjLocation.Front), (["behind", "you"], ObjLocation.Behind),
    ];

    private static readonly string[] NextToTheLava = ["next", "to", "the", "lava"];

    /// <summary>The instruction the text says, or null with <paramref name="error"/> saying where it stops making sense.</summary>
    public static Instruction? TryParse(string text, out string error)
    {
        var tokens = MissionVocabulary.Tokenize(text);
        if (tokens.Count > 0 && tokens[^1] == ".") tokens.RemoveAt(tokens.Count - 1);
        try
        {
            error = "";
            return Mission(tokens);
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    private static Instruction Mission(List<string> t)
    {
        int then = t.IndexOf("then");
        if (then >= 0)
        {
            int leftEnd = then > 0 && t[then - 1] == "," ? then - 1 : then;
            return new BeforeInstr(Part(t[..leftEnd]), Part(t[(then + 1)..]));
        }
        for (int i = 0; i + 1 < t.Count; i++)
            if (t[i] == "after" && t[i + 1] == "you")
                return new AfterInstr(Part(t[..i]), Part(t[(i + 2)..]));
        return Part(t);
    }

    private static Instruction Part(List<string> t)
    {
        int and = t.IndexOf("and");
        return and >= 0 ? new AndInstr(Action(t[..and]), Action(t[(and + 1)..])) : Action(t);
    }

    private static Instruction Action(List<string> t)
    {
        if (t.Count == 0) throw new FormatException("an instruction is missing (expected go to, pick up, open or put)");
        if (StartsWith(t, 0, "go", "to")) return new GoToInstr(WholeObject(t, 2));
        if (StartsWith(t, 0, "pick", "up")) return new PickupInstr(WholeObject(t, 2));
        if (t[0] == "open") return new OpenInstr(WholeObject(t, 1));
        if (t[0] == "put")
        {
            var (move, end) = Object(t, 1, lavaSuffix: false);
            if (StartsWith(t, end, NextToTheLava) && end + 4 == t.Count) return new PutNearLavaInstr(move);
            // "put the ball next to the lava next to the box": the first "next to the lava" describes the ball.
            if (StartsWith(t, end, [.. NextToTheLava, "next", "to"]))
            {
                move = move with { NextToLava = true };
                end += 4;
            }
            if (!StartsWith(t, end, "next", "to")) throw new FormatException($"expected 'next to' after 'put {string.Join(' ', t[1..end])}'");
            return new PutNextInstr(move, WholeObject(t, end + 2));
        }
        throw new FormatException($"'{string.Join(' ', t)}' does not start with go to, pick up, open or put");
    }

    private static ObjDesc WholeObject(List<string> t, int start)
    {
        var (desc, end) = Object(t, start, lavaSuffix: true);
        if (end != t.Count) throw new FormatException($"unexpected '{string.Join(' ', t[end..])}' after '{string.Join(' ', t[start..end])}'");
        return desc;
    }

    private static (ObjDesc Desc, int End) Object(List<string> t, int i, bool lavaSuffix)
    {
        if (i >= t.Count || t[i] is not ("the" or "a")) throw new FormatException($"expected 'the' or 'a' before an object at '{string.Join(' ', t[i..])}'");
        i++;
        Color? color = null;
        foreach (var c in GridNames.Colors)
        {
            if (i >= t.Count || c.Name() != t[i]) continue;
            color = c;
            i++;
            break;
        }
        if (i >= t.Count) throw new FormatException("an object type is missing (key, ball, box, door or object)");
        ObjDesc desc;
        int fashion = FashionClassAt(t, i, out int fashionWords);
        if (fashion >= 0)
        {
            desc = ObjDesc.Fashion(fashion);
            i += fashionWords;
        }
        else if (Types.TryGetValue(t[i], out var type)) { desc = new ObjDesc(type, color); i++; }
        else if (t[i] == "object") { desc = new ObjDesc(null, color); i++; }
        else throw new FormatException($"'{t[i]}' is not an object type (key, ball, box, door or object)");
        foreach (var (words, location) in Locations)
        {
            if (!StartsWith(t, i, words)) continue;
            desc = desc with { Location = location };
            i += words.Length;
            break;
        }
        if (lavaSuffix && StartsWith(t, i, NextToTheLava))
        {
            desc = desc with { NextToLava = true };
            i += NextToTheLava.Length;
        }
        return (desc, i);
    }

    private static int FashionClassAt(List<string> t, int i, out int words)
    {
        for (int k = 0; k < FashionMnist.MissionNames.Count; k++)
        {
            string[] name = FashionMnist.MissionNames[k].Split(' ');
            if (StartsWith(t, i, name))
            {
                words = name.Length;
                return k;
            }
        }
        words = 0;
        return -1;
    }

    private static bool StartsWith(List<string> t, int start, params string[] words)
    {
        if (start + words.Length > t.Count) return false;
        for (int k = 0; k < words.Length; k++)
            if (t[start + k] != words[k]) return false;
        return true;
    }
}
