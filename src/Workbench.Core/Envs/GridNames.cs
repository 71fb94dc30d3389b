namespace Workbench.Envs;

/// <summary>Names and direction vectors shared by levels, missions and renderers.</summary>
public static class GridNames
{
    public const int ActionCount = 7;
    public const int ColorCount = 6;

    /// <summary>Number of values channel 0 can take (0..11), for embedding tables.</summary>
    public const int ObjectTypeCount = 12;

    public static readonly IReadOnlyList<Color> Colors = [Color.Red, Color.Green, Color.Blue, Color.Purple, Color.Yellow, Color.Grey];

    /// <summary>Lower-case name as it appears in missions ("red", "grey").</summary>
    public static string Name(this Color color) => color switch
    {
        Color.Red => "red",
        Color.Green => "green",
        Color.Blue => "blue",
        Color.Purple => "purple",
        Color.Yellow => "yellow",
        Color.Grey => "grey",
        _ => throw new ArgumentOutOfRangeException(nameof(color)),
    };

    public static string Name(this ObjectType type) => type switch
    {
        ObjectType.Unseen => "unseen",
        ObjectType.Empty => "empty",
        ObjectType.Wall => "wall",
        ObjectType.Floor => "floor",
        ObjectType.Door => "door",
        ObjectType.Key => "key",
        ObjectType.Ball => "ball",
        ObjectType.Box => "box",
        ObjectType.Goal => "goal",
        ObjectType.Lava => "lava",
        ObjectType.Agent => "agent",
        ObjectType.FashionItem => "item",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>MiniGrid's DIR_TO_VEC: 0 = east (+x), 1 = south (+y), 2 = west, 3 = north.</summary>
    public static (int Dx, int Dy) DirectionVector(int direction) => (direction & 3) switch
    {
        0 => (1, 0),
        1 => (0, 1),
        2 => (-1, 0),
        _ => (0, -1),
    };
}
