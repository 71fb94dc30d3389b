using Workbench.Runtime;

namespace Workbench.Envs;

/// <summary>
/// FashionGrid: an 8×8 BabyAI room holding four Fashion-MNIST pictures of different classes; the mission names a
/// class ("go to the sneaker", "pick up the bag"). The class is only visible in the pixels (RGB observations);
/// the symbolic view shows every picture as the same item.
/// </summary>
public static class FashionLevels
{
    public const int Items = 4;

    public static EpisodeSpec? Generate(Rng rng, FashionSplit split, bool pickup)
    {
        var rg = new RoomGrid(rng, 8, 1, 1);
        rg.PlaceAgent();
        var classes = Enumerable.Range(0, FashionMnist.ClassCount).ToList();
        rng.Shuffle(classes);
        var placed = new List<WorldObject>();
        foreach (int k in classes.Take(Items))
        {
            int index = rng.Choice(split.IndicesByClass[k]);
            placed.Add(rg.AddObject(0, 0, WorldObject.Fashion(k, index, split.Image(index))));
        }
        if (!rg.ObjectsReachable()) return null;
        var desc = ObjDesc.Fashion(rng.Choice(placed).FashionClass);
        return rg.ToSpec(pickup ? new PickupInstr(desc) : new GoToInstr(desc));
    }
}
