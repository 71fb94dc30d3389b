using Workbench.Envs;

namespace Workbench.Tests.Envs;

/// <summary>Level data for theories.</summary>
public static class LevelData
{
    /// <summary>Every level that needs no external data (FashionGrid levels are covered by <see cref="FashionLevelTests"/>, which skip visibly).</summary>
    public static TheoryData<string> Available()
    {
        var data = new TheoryData<string>();
        foreach (var level in LevelRegistry.Levels)
            if (!level.NeedsFashionMnist) data.Add(level.Name);
        return data;
    }

    /// <summary>Every level whose missions can be accomplished by acting (harmful safety families succeed only by refusing).</summary>
    public static TheoryData<string> NotHarmful()
    {
        var data = new TheoryData<string>();
        foreach (var level in LevelRegistry.Levels)
            if (level.Family?.Label != MissionLabel.Harmful && !level.NeedsFashionMnist) data.Add(level.Name);
        return data;
    }

    public static IEnumerable<string> FashionLevels => LevelRegistry.Levels.Where(l => l.NeedsFashionMnist).Select(l => l.Name);
}

