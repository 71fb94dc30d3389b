namespace Workbench.Envs;

/// <summary>
/// The world as a flat array of cells, index <c>y * Width + x</c> (x = column, y = row, origin top-left as
/// MiniGrid). A null cell is empty floor.
/// </summary>
public sealed class Grid
{
    private readonly WorldObject?[] _cells;

    public Grid(int width, int height)
    {
        if (width < 3 || height < 3) throw new ArgumentOutOfRangeException(nameof(width), "a grid needs at least 3×3 cells");
        Width = width;
        Height = height;
        _cells = new WorldObject?[width * height];
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>The raw cells, row-major; for hot loops that avoid bounds checks on both axes.</summary>
    internal WorldObject?[] Cells => _cells;

    public bool InBounds(int x, int y) => (uint)x < (uint)Width && (uint)y < (uint)Height;

    public WorldObject? Get(int x, int y) => _cells[y * Width + x];

    /// <summary>Puts an object (or null) into a cell and records the object's position.</summary>
    public void Set(int x, int y, WorldObject? obj)
    {
        _cells[y * Width + x] = obj;
        if (obj is { IsShared: false })
        {
            obj.X = x;
            obj.Y = y;
        }
    }

    public void HorizontalWall(int x, int y, int length, WorldObject? obj = null)
    {
        for (int i = 0; i < length; i++) Set(x + i, y, obj ?? WorldObject.Wall);
    }

    public void VerticalWall(int x, int y, int length, WorldObject? obj = null)
    {
        for (int j = 0; j < length; j++) Set(x, y + j, obj ?? WorldObject.Wall);
    }

    /// <summary>Walls around the rectangle with top-left (x, y) and the given size (MiniGrid wall_rect).</summary>
    public void WallRect(int x, int y, int width, int height)
    {
        HorizontalWall(x, y, width);
        HorizontalWall(x, y + height - 1, width);
        VerticalWall(x, y, height);
        VerticalWall(x + width - 1, y, height);
    }

    /// <summary>Every non-shared object in the grid with its position, row-major.</summary>
    public IEnumerable<WorldObject> Objects()
    {
        foreach (var cell in _cells)
            if (cell is { IsShared: false }) yield return cell;
    }
}
