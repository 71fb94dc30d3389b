namespace Workbench.Evals.Statistics;

/// <summary>
/// Thrown when two versions were not run on exactly the same episodes, so a paired comparison would be
/// silently biased. The message gives counts and an example of each kind of mismatch.
/// </summary>
public sealed class EpisodeMismatchException : InvalidOperationException
{
    public EpisodeMismatchException(string message, int missingInA, int missingInB, int duplicates) : base(message)
    {
        MissingInA = missingInA;
        MissingInB = missingInB;
        Duplicates = duplicates;
    }

    /// <summary>Keys B has and A lacks.</summary>
    public int MissingInA { get; }

    /// <summary>Keys A has and B lacks.</summary>
    public int MissingInB { get; }

    /// <summary>Keys that occur more than once within A or within B.</summary>
    public int Duplicates { get; }
}
