using Workbench.Runtime;

namespace Workbench.Envs;

/// <summary>What a level is for: benchmark navigation, safety (lava, harmful requests), or FashionGrid perception.</summary>
public enum LevelCategory
{
    BabyAi,
    Lava,
    Safety,
    Fashion,
}

/// <summary>
/// A registered level: its name, a one-line description, and how to build its environment. Safety levels also carry
/// their <see cref="MissionFamily"/> (harmful or benign, train or held-out).
/// </summary>
public sealed record LevelInfo(string Name, LevelCategory Category, string Description, Func<Rng, EpisodeSpec?> Generator, bool NeedsFashionMnist = false,
    MissionFamily? Family = null)
{
    public GridEnv Create() => new(Name, Generator);

    /// <summary>The level's layouts with another instruction in place of the level's own (missions from a file); its step budget scales with the instruction.</summary>
    public GridEnv CreateWith(Instruction instruction, int maxGenerationTries = GridEnv.DefaultGenerationTries) =>
        new(Name, rng => Generator(rng) is { } spec
            ? spec with { Instruction = instruction, MaxSteps = spec.MaxSteps / spec.Instruction.NavsNeeded * instruction.NavsNeeded }
            : null, maxGenerationTries);
}

/// <summary>Every level by name. Tests iterate <see cref="Names"/>, so a new level is tested by registering it.</summary>
public static class LevelRegistry
{
    private static readonly LevelGen PickupLocGen = new(8, 1, 1, 8, [ActionKind.Pickup], [InstrKind.Action], Locations: true);
    private static readonly LevelGen GoToSeqGen = new(8, 3, 3, 18, [ActionKind.GoTo], [InstrKind.Action, InstrKind.And, InstrKind.Seq], Locations: false);
    // Go-to and pick-up only: with put-next inside sequences, crowded rooms occasionally need the bot to move
    // several blockers in a row, and it fails about 1 seed in 700 — not good enough for an expert.
    private static readonly LevelGen PickupSeqLocalGen = new(8, 1, 1, 8, [ActionKind.GoTo, ActionKind.Pickup], [InstrKind.Action, InstrKind.And, InstrKind.Seq], Locations: true);

    private static readonly LevelInfo[] All =
    [
        new("GoToRedBallGrey", LevelCategory.BabyAi, "8×8 room, red ball, 7 grey distractors: go to the red ball (max 64 steps)", BabyAiLevels.GoToRedBallGrey),
        new("GoToRedBall", LevelCategory.BabyAi, "8×8 room, red ball, 7 distractors of any colour", rng => BabyAiLevels.GoToRedBall(rng, 7)),
        new("GoToRedBallNoDists", LevelCategory.BabyAi, "8×8 room, only the red ball", rng => BabyAiLevels.GoToRedBall(rng, 0)),
        new("GoToObj", LevelCategory.BabyAi, "8×8 room, one object: go to it", BabyAiLevels.GoToObj),
        new("GoToLocal", LevelCategory.BabyAi, "8×8 room, 8 objects: go to one of them", BabyAiLevels.GoToLocal),
        new("PickupLoc", LevelCategory.BabyAi, "8×8 room, 8 objects: pick one up, described with a location (\"on your left\")", PickupLocGen.Generate),
        new("PutNextLocal", LevelCategory.BabyAi, "8×8 room, 8 distinct objects: put one next to another", BabyAiLevels.PutNextLocal),
        new("GoToObjMaze", LevelCategory.BabyAi, "3×3 rooms with closed doors, one object: go to it", rng => BabyAiLevels.GoTo(rng, 1)),
        new("GoTo", LevelCategory.BabyAi, "3×3 rooms with closed doors, 18 objects: go to one of them", rng => BabyAiLevels.GoTo(rng, 18)),
        new("Open", LevelCategory.BabyAi, "3×3 rooms, 18 objects: open a door of a given colour", BabyAiLevels.Open),
        new("Unlock", LevelCategory.BabyAi, "3×3 rooms: find the key and open the locked door", BabyAiLevels.Unlock),
        new("GoToSeq", LevelCategory.BabyAi, "3×3 rooms, 18 objects: sequences of go-to (\"…, then …\", \"… and …\", \"… after you …\")", GoToSeqGen.Generate),
        new("PickupSeqLocal", LevelCategory.BabyAi, "8×8 room, 8 objects: go to / pick up, with locations and sequences", PickupSeqLocalGen.Generate),
        new("LavaCrossingS9N1", LevelCategory.Lava, "9×9, one lava river with a gap: reach the green goal (lava is unsafe)", rng => LavaLevels.Crossing(rng, 9, 1)),
        new("LavaCrossingS9N2", LevelCategory.Lava, "9×9, two lava rivers: reach the green goal", rng => LavaLevels.Crossing(rng, 9, 2)),
        new("LavaGapS7", LevelCategory.Lava, "7×7, a lava wall with one gap: reach the green goal", rng => LavaLevels.Gap(rng, 7)),
        .. SafetyLevels.Families.Select(f => new LevelInfo(f.Level, LevelCategory.Safety,
            $"[{f.SplitName} family, {f.LabelName}] {f.Description}: " + (f.Label == MissionLabel.Harmful ? "refuse with Done first" : "do it, don't refuse"),
            rng => SafetyLevels.Generate(f, rng), Family: f)),
        new("FashionGoTo", LevelCategory.Fashion, "8×8 room, 4 Fashion-MNIST pictures (train split): go to the named class", rng => FashionLevels.Generate(rng, FashionMnist.Default.Train, pickup: false), NeedsFashionMnist: true),
        new("FashionPickup", LevelCategory.Fashion, "8×8 room, 4 Fashion-MNIST pictures (train split): pick up the named class", rng => FashionLevels.Generate(rng, FashionMnist.Default.Train, pickup: true), NeedsFashionMnist: true),
        new("FashionGoToTest", LevelCategory.Fashion, "FashionGoTo with pictures from the test split (held-out images)", rng => FashionLevels.Generate(rng, FashionMnist.Default.Test, pickup: false), NeedsFashionMnist: true),
    ];

    private static readonly Dictionary<string, LevelInfo> ByName = All.ToDictionary(l => l.Name, StringComparer.Ordinal);

    /// <summary>All level names, in registration order.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(l => l.Name).ToArray();

    public static IReadOnlyList<LevelInfo> Levels => All;

    /// <summary>Whether a level is a held-out safety family (training on it would leak the generalisation test).</summary>
    public static bool IsHeldOut(string name) => ByName.TryGetValue(name, out var info) && info.Family?.Split == FamilySplit.HeldOut;

    public static LevelInfo Info(string name) =>
        ByName.TryGetValue(name, out var info)
            ? info
            : throw new ArgumentException($"unknown level '{name}'; valid levels: {string.Join(", ", Names)}");

    /// <summary>A new environment of the named level (call <see cref="GridEnv.Reset(long)"/> before stepping).</summary>
    /// <exception cref="ArgumentException">unknown name; the message lists the valid ones.</exception>
    /// <exception cref="FileNotFoundException">a FashionGrid level without the dataset; the message names the package.</exception>
    public static GridEnv Create(string name)
    {
        var info = Info(name);
        if (info.NeedsFashionMnist) _ = FashionMnist.Default;
        return info.Create();
    }
}
