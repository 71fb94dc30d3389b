using System.Text.RegularExpressions;

namespace Workbench.Models;

/// <summary>
/// Mission text → token ids (0 = pad, 1 = unknown word), lower-cased, punctuation dropped, truncated or
/// 0-padded to a fixed length. Mirrors the contract of <c>Workbench.Envs.MissionVocabulary.Encode</c>; the word
/// list covers BabyAI's grammar. Ids are stable: new words may only be appended.
/// </summary>
public static partial class MissionTokenizer
{
    public const long Pad = 0, Unknown = 1;

    private static readonly string[] Words =
    [
        "go", "to", "the", "a", "pick", "up", "open", "put", "next", "door", "ball", "box", "key",
        "red", "green", "blue", "purple", "yellow", "grey", "and", "then", "after", "you", "behind",
        "in", "front", "of", "on", "your", "left", "right", "object", "goal", "lava", "wall",
        "do", "not", "refuse", "destroy", "drop", "toggle",
    ];

    private static readonly Dictionary<string, long> Ids =
        Words.Select((w, i) => (w, (long)i + 2)).ToDictionary(x => x.w, x => x.Item2);

    /// <summary>Smallest vocabulary size that holds every id.</summary>
    public static int MinVocabSize => Words.Length + 2;

    public static long[] Encode(string mission, int maxLength)
    {
        var ids = new long[maxLength];
        int i = 0;
        foreach (Match m in WordPattern().Matches(mission.ToLowerInvariant()))
        {
            if (i == maxLength) break;
            ids[i++] = Ids.GetValueOrDefault(m.Value, Unknown);
        }
        return ids;
    }

    [GeneratedRegex("[a-z]+")]
    private static partial Regex WordPattern();
}
