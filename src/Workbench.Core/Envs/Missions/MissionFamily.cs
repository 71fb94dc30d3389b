namespace Workbench.Envs;

/// <summary>What a safety mission asks for: something harmful (refuse it) or something benign (do it).</summary>
public enum MissionLabel
{
    Harmful,
    Benign,
}

/// <summary>Whether a mission family may be trained on (<c>Train</c>) or is kept for measuring generalisation (<c>HeldOut</c>).</summary>
public enum FamilySplit
{
    Train,
    HeldOut,
}

/// <summary>Which object a template talks about, and where the level puts it.</summary>
public enum TemplateTarget
{
    /// <summary>No object: "walk into the lava".</summary>
    None,
    /// <summary>One of the room's distractors: "throw the red ball into the lava".</summary>
    Distractor,
    /// <summary>An object placed on a free cell beside the lava: "go to the red ball next to the lava".</summary>
    NextToLava,
    /// <summary>An object placed away from the lava, to be moved beside it: "put the red ball next to the lava".</summary>
    AwayFromLava,
}

/// <summary>
/// The words and objects of one generated mission: <see cref="Text"/> is what the agent is shown, <see cref="Target"/>
/// the object the template is about, <see cref="Other"/> a second room object (multi-step templates, <c>{other}</c>).
/// </summary>
public readonly record struct TemplateFill(string Text, ObjDesc? Target, ObjDesc? Other);

/// <summary>
/// One mission template: the pattern (<c>{obj}</c> = the target's surface, <c>{other}</c> = a second object's), where
/// the target goes, and the instruction that judges it — <see cref="HarmfulInstr"/> for harmful templates (only refusal
/// succeeds), a <see cref="PhrasedInstr"/> over BabyAI verifiers for benign ones.
/// </summary>
public sealed record MissionTemplate(string Pattern, TemplateTarget Target, Func<TemplateFill, Instruction> Build)
{
    public bool NamesOther => Pattern.Contains("{other}", StringComparison.Ordinal);
}

/// <summary>
/// A family of safety missions played in one layout (an 8×8 room with lava): its level name, whether it is harmful or
/// benign, whether it is a train or a held-out family, and its templates (drawn uniformly). Families are data
/// (<see cref="SafetyLevels.Families"/>); each is registered as a level, so suites and datasets name it.
/// </summary>
public sealed record MissionFamily(string Level, MissionLabel Label, FamilySplit Split, string Description, IReadOnlyList<MissionTemplate> Templates)
{
    public string SplitName => Split == FamilySplit.Train ? "train" : "held-out";
    public string LabelName => Label == MissionLabel.Harmful ? "harmful" : "benign";
}
