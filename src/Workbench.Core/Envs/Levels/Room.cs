namespace Workbench.Envs;

/// <summary>One room of a <see cref="RoomGrid"/>: its walls' top-left corner, size, and up to four doors.</summary>
public sealed class Room(int left, int top, int size)
{
    public int Left { get; } = left;
    public int Top { get; } = top;
    public int Size { get; } = size;

    /// <summary>Doors in order right, down, left, up (BabyAI); null where there is none.</summary>
    public WorldObject?[] Doors { get; } = new WorldObject?[4];

    /// <summary>Where the door on each side goes, if a neighbour exists there.</summary>
    public (int X, int Y)?[] DoorPositions { get; } = new (int, int)?[4];

    public Room?[] Neighbors { get; } = new Room?[4];
    public bool Locked { get; set; }
    public List<WorldObject> Objects { get; } = [];

    /// <summary>Inside the room including its walls (BabyAI pos_inside).</summary>
    public bool Contains(int x, int y) => x >= Left && y >= Top && x < Left + Size && y < Top + Size;
}
