namespace Workbench.Envs;

/// <summary>
/// The world as a flat array of cells, index <c>y * Width + x</c> (x = column, y = row, origin top-left as
/// MiniGrid). A null cell is empty floor.
/// </summary>
public sealed class Grid
{
    private readonly WorldObject?[] _cells;

    // Symbolic code of every cell (type | colour << 8 | state << 16 | opaque << 24), kept next to the cells so the
    // observation loop reads a flat int array instead of chasing object references.
    private readonly int[] _codes;

    public Grid(int width, int height)
    {
        if (width < 3 || height < 3) throw new ArgumentOutOfRangeException(nameof(width), "a grid needs at least 3×3 cells");
        Width = width;
        Height = height;
        _cells = new WorldObject?[width * height];
        _codes = new int[width * height];
        Array.Fill(_codes, EmptyCode);
    }

    internal const int EmptyCode = (int)ObjectType.Empty;
    internal const int OpaqueBit = 1 << 24;
    internal static readonly int WallCode = Code(WorldObject.Wall);

    internal static int Code(WorldObject? obj) => obj is null
        ? EmptyCode
        : (int)obj.Type | obj.EncodedColor << 8 | obj.EncodedState << 16 | (obj.Opaque ? OpaqueBit : 0);

    internal int[] Codes => _codes;

    /// <summary>Re-reads the code of a cell whose object changed in place (a door opened, a colour set).</summary>
    internal void RefreshCode(int x, int y) => _codes[y * Width + x] = Code(_cells[y * Width + x]);

    internal void RefreshAllCodes()
    {
        for (int i = 0; i < _cells.Length; i++) _codes[i] = Code(_cells[i]);
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>The raw cells, row-major; for hot loops that avoid bounds checks on both axes.</summary>
    internal WorldObject?[] Cells => _cells;

    public bool InBounds(int x, int y) => (uint)x < (uint)Width && (uint)y < (uint)Height;

    public WorldObject? Get(int x, int y) => _cells[y * Width + x];

    /// <summary>Whether one of the four cells beside (x, y) holds an object of <paramref name="type"/> ("next to the lava").</summary>
    public bool HasNeighbour(int x, int y, ObjectType type)
    {
        for (int d = 0; d < 4; d++)
        {
            var (dx, dy) = GridNames.DirectionVector(d);
            int nx = x + dx, ny = y + dy;
            if (InBounds(nx, ny) && Get(nx, ny)?.Type == type) return true;
        }
        return false;
    }

    /// <summary>Puts an object (or null) into a cell and records the object's position.</summary>
    public void Set(int x, int y, WorldObject? obj)
    {
        _cells[y * Width + x] = obj;
        _codes[y * Width + x] = Code(obj);
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
