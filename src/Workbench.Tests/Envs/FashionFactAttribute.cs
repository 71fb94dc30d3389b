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
