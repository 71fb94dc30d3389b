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
}
