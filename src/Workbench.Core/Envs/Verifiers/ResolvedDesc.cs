namespace Workbench.Envs;

/// <summary>A description bound to the objects it matched at reset.</summary>
public sealed class ResolvedDesc
{
    public ResolvedDesc(ObjDesc desc, List<WorldObject> objects)
    {
        Desc = desc;
        Objects = objects;
    }

    public ObjDesc Desc { get; }

    /// <summary>The matching objects, by identity; their current positions are <c>X</c>/<c>Y</c> (−1 if carried).</summary>
    public List<WorldObject> Objects { get; }

    public bool Contains(WorldObject? obj)
    {
        if (obj is null) return false;
        foreach (var o in Objects)
            if (ReferenceEquals(o, obj)) return true;
        return false;
    }

    public string Surface() => Desc.Surface(Objects.Count);
}
