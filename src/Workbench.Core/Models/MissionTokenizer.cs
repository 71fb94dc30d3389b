using Workbench.Envs;

namespace Workbench.Models;

/// <summary>
/// Mission text → token ids for the models: exactly <see cref="MissionVocabulary.Encode"/> (0 = pad, 1 = unknown),
/// so datasets, training and evals agree on ids. Kept as the models' entry point (and minimum vocabulary size).
/// </summary>
public static class MissionTokenizer
{
    public const long Pad = MissionVocabulary.Pad, Unknown = MissionVocabulary.Unknown;

    /// <summary>Smallest embedding table that holds every id (model.vocab_size must be at least this).</summary>
    public static int MinVocabSize => MissionVocabulary.Size;

    public static long[] Encode(string mission, int maxLength) => MissionVocabulary.Encode(mission, maxLength);

    /// <summary>Ids for a model with <paramref name="vocabSize"/> embedding rows: words appended to the vocabulary after it was made read as unknown.</summary>
    public static long[] Encode(string mission, int maxLength, int vocabSize) => MissionVocabulary.Encode(mission, maxLength, vocabSize);
}
