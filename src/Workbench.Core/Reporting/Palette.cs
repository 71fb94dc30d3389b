using ScottPlot;

namespace Workbench.Reporting;

/// <summary>
/// The Okabe–Ito palette (Okabe &amp; Ito 2008): distinguishable under the common colour-vision deficiencies.
/// Ordered for lines and bars on white: blue, orange, bluish green, vermillion, reddish purple, sky blue,
/// black, then yellow (weakest contrast on white, so last).
/// </summary>
public static class Palette
{
    public static readonly IReadOnlyList<Color> OkabeIto =
    [
        Color.FromHex("#0072B2"), Color.FromHex("#E69F00"), Color.FromHex("#009E73"), Color.FromHex("#D55E00"),
        Color.FromHex("#CC79A7"), Color.FromHex("#56B4E9"), Color.FromHex("#000000"), Color.FromHex("#F0E442"),
    ];

    public static Color At(int index) => OkabeIto[((index % OkabeIto.Count) + OkabeIto.Count) % OkabeIto.Count];

    /// <summary>Whisker and annotation colour.</summary>
    public static readonly Color Ink = Color.FromHex("#222222");
}
