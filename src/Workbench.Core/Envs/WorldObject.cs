namespace Workbench.Envs;

/// <summary>
/// Something that occupies a grid cell (MiniGrid's WorldObj). Movable objects have identity: verifiers track
/// "the objects that matched the description at reset" by reference, and <see cref="X"/>/<see cref="Y"/> follow
/// the object (−1 while it is carried). Walls and lava carry no identity and are shared instances.
/// </summary>
public sealed class WorldObject
{
    public static readonly WorldObject Wall = new(ObjectType.Wall, Color.Grey, shared: true);
    public static readonly WorldObject Lava = new(ObjectType.Lava, Color.Red, shared: true);

    private WorldObject(ObjectType type, Color color, bool shared = false)
    {
        Type = type;
        IsShared = shared;
        Color = color;
        State = DoorState.Open;
    }

    // The symbolic encoding and sight-blocking flag, kept current so the observation loop only reads fields.
    internal byte EncodedColor;
    internal byte EncodedState;
    internal bool Opaque;

    public ObjectType Type { get; }

    public Color Color
    {
        get => (Color)EncodedColor;
        internal set => EncodedColor = (byte)value;
    }

    /// <summary>Doors only: open, closed or locked.</summary>
    public DoorState State
    {
        get => _state;
        internal set
        {
            _state = value;
            EncodedState = Type == ObjectType.Door ? (byte)value : (byte)0;
            Opaque = Type == ObjectType.Wall || (Type == ObjectType.Door && value != DoorState.Open);
        }
    }

    private DoorState _state;

    /// <summary>Boxes only: what toggling the box reveals (MiniGrid's Box.contains); may be null.</summary>
    public WorldObject? Contains { get; init; }

    /// <summary>Fashion items only: the Fashion-MNIST class 0..9; −1 otherwise.</summary>
    public int FashionClass { get; private init; } = -1;

    /// <summary>Fashion items only: index of the picture in the split it was drawn from.</summary>
    public int ImageIndex { get; private init; } = -1;

    /// <summary>Fashion items only: the 28×28 grey-level picture (row-major, 0 = background).</summary>
    public ReadOnlyMemory<byte> Picture { get; private init; }

    /// <summary>Shared instances (walls, lava) have no position of their own.</summary>
    public bool IsShared { get; }

    public int X { get; internal set; } = -1;
    public int Y { get; internal set; } = -1;

    public bool IsOpen => Type == ObjectType.Door && State == DoorState.Open;

    /// <summary>The agent may stand on it (MiniGrid can_overlap): goal, lava, floor, open door.</summary>
    public bool CanOverlap => Type switch
    {
        ObjectType.Goal or ObjectType.Lava or ObjectType.Floor => true,
        ObjectType.Door => State == DoorState.Open,
        _ => false,
    };

    /// <summary>MiniGrid can_pickup: keys, balls, boxes (and fashion items).</summary>
    public bool CanPickup => Type is ObjectType.Key or ObjectType.Ball or ObjectType.Box or ObjectType.FashionItem;

    /// <summary>MiniGrid see_behind: walls and closed or locked doors block sight.</summary>
    public bool SeeBehind => !Opaque;

    public static WorldObject Door(Color color, DoorState state = DoorState.Closed) => new(ObjectType.Door, color) { State = state };
    public static WorldObject Key(Color color) => new(ObjectType.Key, color);
    public static WorldObject Ball(Color color) => new(ObjectType.Ball, color);
    public static WorldObject Box(Color color, WorldObject? contains = null) => new(ObjectType.Box, color) { Contains = contains };
    public static WorldObject Goal() => new(ObjectType.Goal, Color.Green);
    public static WorldObject Floor(Color color) => new(ObjectType.Floor, color);

    /// <summary>A Fashion-MNIST picture. Encoded as (11, grey, 0): the class is not in the symbolic view.</summary>
    public static WorldObject Fashion(int fashionClass, int imageIndex, ReadOnlyMemory<byte> picture) =>
        new(ObjectType.FashionItem, Color.Grey) { FashionClass = fashionClass, ImageIndex = imageIndex, Picture = picture };

    /// <summary>A key, ball or box of the given colour.</summary>
    public static WorldObject Create(ObjectType type, Color color) => type switch
    {
        ObjectType.Key => Key(color),
        ObjectType.Ball => Ball(color),
        ObjectType.Box => Box(color),
        ObjectType.Door => Door(color),
        ObjectType.Goal => Goal(),
        ObjectType.Floor => Floor(color),
        ObjectType.Wall => Wall,
        ObjectType.Lava => Lava,
        _ => throw new ArgumentException($"cannot create an object of type {type}", nameof(type)),
    };

    public override string ToString() => FashionClass >= 0
        ? $"{FashionMnist.MissionName(FashionClass)}@({X},{Y})"
        : $"{Color.Name()} {Type.Name()}@({X},{Y})";
}
