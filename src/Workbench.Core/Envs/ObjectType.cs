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
