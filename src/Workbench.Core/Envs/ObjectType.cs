namespace Workbench.Envs;

/// <summary>Object kinds with MiniGrid's OBJECT_TO_IDX values (channel 0 of the symbolic observation).</summary>
public enum ObjectType : byte
{
    Unseen = 0,
    Empty = 1,
    Wall = 2,
    Floor = 3,
    Door = 4,
    Key = 5,
    Ball = 6,
    Box = 7,
    Goal = 8,
    Lava = 9,
    Agent = 10,
    /// <summary>Workbench extension for FashionGrid: a Fashion-MNIST picture. Its class is only visible in pixels.</summary>
    FashionItem = 11,
}

/// <summary>The six colours in MiniGrid's COLOR_TO_IDX order (channel 1 of the symbolic observation).</summary>
public enum Color : byte
{
    Red = 0,
    Green = 1,
    Blue = 2,
    Purple = 3,
    Yellow = 4,
    Grey = 5,
}

/// <summary>Door states as MiniGrid's STATE_TO_IDX (channel 2 of the symbolic observation; 0 for every other object).</summary>
public enum DoorState : byte
{
    Open = 0,
    Closed = 1,
    Locked = 2,
}

/// <summary>The seven MiniGrid actions, in MiniGrid's order.</summary>
public enum AgentAction
{
    Left = 0,
    Right = 1,
    Forward = 2,
    Pickup = 3,
    Drop = 4,
    Toggle = 5,
    Done = 6,
}

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
