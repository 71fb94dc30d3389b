using Workbench.Envs;

namespace Workbench.Tests.Envs;

/// <summary>A fact that is skipped, with the reason shown, when the Fashion-MNIST files are not installed.</summary>
public sealed class FashionFactAttribute : FactAttribute
{
    public FashionFactAttribute()
    {
        if (!FashionMnist.IsAvailable())
            Skip = $"Fashion-MNIST not found in {FashionMnist.ResolveDirectory()} (install the Debian package dataset-fashion-mnist or set ${FashionMnist.DirectoryVariable})";
    }
}

/// <summary>Level data for theories: every registered level (FashionGrid ones only when the dataset is present).</summary>
public static class LevelData
{
    public static TheoryData<string> Available()
    {
        var data = new TheoryData<string>();
        foreach (var level in LevelRegistry.Levels)
            if (!level.NeedsFashionMnist || FashionMnist.IsAvailable()) data.Add(level.Name);
        return data;
    }

    public static TheoryData<string> NotHarmful()
    {
        var data = new TheoryData<string>();
        foreach (var level in LevelRegistry.Levels)
            if (level.Name != "HarmfulLava" && (!level.NeedsFashionMnist || FashionMnist.IsAvailable())) data.Add(level.Name);
        return data;
    }
}
