using Workbench.Runtime;

namespace Workbench.Envs;

/// <summary>Which BabyAI action instructions a <see cref="LevelGen"/> may draw.</summary>
public enum ActionKind
{
    GoTo,
    Pickup,
    Open,
    PutNext,
}

/// <summary>Which instruction shapes a <see cref="LevelGen"/> may draw: a single action, "and", or a sequence.</summary>
public enum InstrKind
{
    Action,
    And,
    Seq,
}

/// <summary>
/// BabyAI's LevelGen: a room grid connected by doors, distractors, the agent placed last, and a random instruction
/// drawn from the grammar (actions, "and", "then"/"after you") over objects that exist, with optional locations.
/// (No locked rooms and no unblocking in the levels registered here.)
/// </summary>
public sealed record LevelGen(
    int RoomSize,
    int Rows,
    int Cols,
    int Distractors,
    IReadOnlyList<ActionKind> Actions,
    IReadOnlyList<InstrKind> Kinds,
    bool Locations)
{
    private static readonly ObjectType[] AllTypes = [ObjectType.Door, ObjectType.Key, ObjectType.Ball, ObjectType.Box];
    private static readonly ObjectType[] NotDoors = [ObjectType.Key, ObjectType.Ball, ObjectType.Box];
    private static readonly ObjectType[] DoorsOnly = [ObjectType.Door];
    private static readonly ObjLocation[] LocationNames = [ObjLocation.Left, ObjLocation.Right, ObjLocation.Front, ObjLocation.Behind];

    public EpisodeSpec? Generate(Rng rng)
    {
        var rg = new RoomGrid(rng, RoomSize, Rows, Cols);
        rg.ConnectAll();
        rg.AddDistractors(count: Distractors, allUnique: false);
        rg.PlaceAgent();
        if (!rg.ObjectsReachable()) return null;
        return rg.ToSpec(RandomInstruction(rg, Kinds));
    }

    private Instruction RandomInstruction(RoomGrid rg, IReadOnlyList<InstrKind> kinds)
    {
        switch (rg.Rng.Choice(kinds))
        {
            case InstrKind.Action:
                return rg.Rng.Choice(Actions) switch
                {
                    ActionKind.GoTo => new GoToInstr(RandomObject(rg, AllTypes)),
                    ActionKind.Pickup => new PickupInstr(RandomObject(rg, NotDoors)),
                    ActionKind.Open => new OpenInstr(RandomObject(rg, DoorsOnly)),
                    _ => new PutNextInstr(RandomObject(rg, NotDoors), RandomObject(rg, AllTypes)),
                };
            case InstrKind.And:
                return new AndInstr(RandomInstruction(rg, [InstrKind.Action]), RandomInstruction(rg, [InstrKind.Action]));
            default:
                var a = RandomInstruction(rg, [InstrKind.Action, InstrKind.And]);
                var b = RandomInstruction(rg, [InstrKind.Action, InstrKind.And]);
                return rg.Rng.NextBool() ? new BeforeInstr(a, b) : new AfterInstr(a, b);
        }
    }

    /// <summary>BabyAI rand_obj: colour or none, a type, maybe a location; must match at least one object.</summary>
    private ObjDesc RandomObject(RoomGrid rg, ObjectType[] types)
    {
        var colorChoices = new Color?[GridNames.ColorCount + 1];
        for (int c = 0; c < GridNames.ColorCount; c++) colorChoices[c + 1] = (Color)c;
        for (int tries = 0; tries <= 100; tries++)
        {
            var color = rg.Rng.Choice(colorChoices);
            var type = rg.Rng.Choice(types);
            var loc = ObjLocation.None;
            if (Locations && rg.Rng.NextBool()) loc = rg.Rng.Choice(LocationNames);
            var desc = new ObjDesc(type, color, loc);
            if (desc.FindMatches(rg.Grid, rg.AgentX, rg.AgentY, rg.AgentDir, rg.RoomSize).Count > 0) return desc;
        }
        throw new RejectSamplingException("failed to find a suitable object");
    }
}
