namespace Workbench.Envs;

/// <summary>
/// What the agent perceives. <see cref="Symbolic"/> is MiniGrid's 7×7×3 encoding transposed to
/// <c>[row][col][channel]</c>: MiniGrid's image is indexed <c>[i][j]</c> with i = view x (column), j = view y (row),
/// so <c>Symbolic[(row * 7 + col) * 3 + c] = image[col][row][c]</c>. The agent sits at row 6, column 3 and looks
/// toward row 0; column 0 is on its left. Channels: object (<see cref="ObjectType"/>), colour
/// (<see cref="Color"/>), state (<see cref="DoorState"/> for doors, else 0). Cells hidden by walls or closed doors are
/// all zero (unseen). The agent's own cell shows what it carries (or empty).
/// <see cref="Pixels"/>, when present, is the same view rendered for a pixel-reading policy (layout of
/// <see cref="ObservationSpec"/>: (7·tile, 7·tile, 3) RGB); the rollout loop fills it for policies whose spec asks for it.
/// </summary>
public sealed record Observation(byte[] Symbolic, int Direction, string Mission, byte[]? Pixels = null)
{
    public const int ViewSize = 7;
    public const int Channels = 3;
    public const int SymbolicLength = ViewSize * ViewSize * Channels;

    /// <summary>The (object, colour, state) triple at a view cell.</summary>
    public (ObjectType Type, Color Color, byte State) At(int row, int col)
    {
        int o = (row * ViewSize + col) * Channels;
        return ((ObjectType)Symbolic[o], (Color)Symbolic[o + 1], Symbolic[o + 2]);
    }

    /// <summary>The bytes a model of <paramref name="spec"/> reads: the symbolic encoding, or <see cref="Pixels"/> (which must be present).</summary>
    public byte[] For(ObservationSpec spec) =>
        !spec.IsPixels ? Symbolic
        : Pixels is { } p && p.Length == spec.BytesPerStep ? p
        : throw new InvalidOperationException($"observation has no pixels for {spec.Describe()}; the rollout loop renders them for the policy's spec");
}
