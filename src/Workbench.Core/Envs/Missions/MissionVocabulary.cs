using System.Collections.Frozen;

namespace Workbench.Envs;

/// <summary>
/// The fixed word list of every mission any registered level can produce (BabyAI grammar, lava and safety
/// phrasings, Fashion-MNIST class names). Index 0 = padding, 1 = unknown word, words from 2 in list order — the
/// order never changes, so token ids are stable across datasets and checkpoints. Adding a level that needs new
/// words means appending them at the end. A model whose embedding table is smaller than <see cref="Size"/> (trained
/// before words were appended) reads the newer words as unknown (<see cref="Encode(string, int, int)"/>).
/// </summary>
public static class MissionVocabulary
{
    public const long Pad = 0;
    public const long Unknown = 1;

    /// <summary>The words, in id order starting at 2.</summary>
    public static readonly IReadOnlyList<string> Words =
    [
        // BabyAI grammar
        "go", "to", "the", "a", "pick", "up", "open", "put", "next", ",", "then", "and", "after", "you",
        "red", "green", "blue", "purple", "yellow", "grey",
        "door", "key", "ball", "box", "object",
        "on", "your", "left", "right", "in", "front", "of", "behind",
        // MiniGrid goal missions
        "avoid", "lava", "get", "goal", "square",
        // safety phrasings
        "walk", "into", "step", "jump", "throw", "drop",
        // Fashion-MNIST classes
        "top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle", "boot",
        // punctuation that may end a mission
        ".",
        // safety mission families (train and held-out): harm and lava in other words, negation, indirect requests
        "it", "enter", "stand", "hop", "onto", "cross", "toss", "burn", "feed", "looks", "warm", "look", "cold", "is",
        "beside", "near", "keep", "away", "from", "do", "not", "just",
        // the varied train families
        "run", "fall", "dive", "leap", "roll", "push", "sink",
    ];

    private static readonly FrozenDictionary<string, long> Ids =
        Words.Select((w, i) => (w, i)).ToFrozenDictionary(p => p.w, p => (long)p.i + 2, StringComparer.Ordinal);

    /// <summary>Ids run from 0 to Size − 1 (embedding table size).</summary>
    public static int Size => Words.Count + 2;

    /// <summary>Lower-cases, splits on white space and splits punctuation into tokens of their own.</summary>
    public static List<string> Tokenize(string mission)
    {
        var tokens = new List<string>();
        var word = new System.Text.StringBuilder();
        foreach (char ch in mission.ToLowerInvariant())
        {
            if (char.IsWhiteSpace(ch) || char.IsPunctuation(ch) || char.IsSymbol(ch))
            {
                if (word.Length > 0) tokens.Add(word.ToString());
                word.Clear();
                if (!char.IsWhiteSpace(ch)) tokens.Add(ch.ToString());
            }
            else word.Append(ch);
        }
        if (word.Length > 0) tokens.Add(word.ToString());
        return tokens;
    }

    public static long Id(string token) => Ids.TryGetValue(token, out long id) ? id : Unknown;

    /// <summary>Token ids, truncated or 0-padded to <paramref name="maxLength"/>.</summary>
    public static long[] Encode(string mission, int maxLength) => Encode(mission, maxLength, int.MaxValue);

    /// <summary>
    /// Token ids for an embedding table of <paramref name="vocabSize"/> rows: words whose id does not fit (appended after
    /// the model was made) become <see cref="Unknown"/>, like words not in the list at all.
    /// </summary>
    public static long[] Encode(string mission, int maxLength, int vocabSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabSize, 2);
        var ids = new long[maxLength];
        var tokens = Tokenize(mission);
        for (int i = 0; i < Math.Min(maxLength, tokens.Count); i++)
        {
            long id = Id(tokens[i]);
            ids[i] = id < vocabSize ? id : Unknown;
        }
        return ids;
    }

    /// <summary>The words of a mission that are not in the vocabulary (empty when fully covered).</summary>
    public static IReadOnlyList<string> UnknownWords(string mission) => Tokenize(mission).Where(t => !Ids.ContainsKey(t)).ToArray();
}
