namespace Workbench.Envs;

public enum VerifyStatus
{
    Continue,
    Success,
    Failure,
}

/// <summary>
/// Checks, after every step, whether the mission is accomplished (BabyAI's verifiers: the check is on the world,
/// never on text). Verifiers are built at reset from an <see cref="Instruction"/>; descriptions are resolved then,
/// so "the ball on your left" keeps meaning the same ball after the agent turns.
/// </summary>
public interface IVerifier
{
    VerifyStatus Verify(GridEnv env, AgentAction action);

    /// <summary>The action-level verifiers still to satisfy, in the order the instruction asks for them.</summary>
    IEnumerable<IActionVerifier> Pending();

    /// <summary>The mission text, as BabyAI's surface ("the" for a unique match, "a" otherwise).</summary>
    string Surface();
}

/// <summary>A leaf verifier (go to, pick up, open, put next to, put next to the lava, reach goal, harmful).</summary>
public interface IActionVerifier : IVerifier
{
    Instruction Instruction { get; }
}

/// <summary>Builds the verifier tree of an instruction in the current world.</summary>
public static class Verifier
{
    public static IVerifier Build(Instruction instruction, GridEnv env) => instruction switch
    {
        GoToInstr g => new GoToVerifier(g, env.Resolve(g.Target)),
        PickupInstr p => new PickupVerifier(p, env.Resolve(p.Target)),
        OpenInstr o => new OpenVerifier(o, env.Resolve(o.Target)),
        PutNextInstr n => new PutNextVerifier(n, env.Resolve(n.Move), env.Resolve(n.Fixed)),
        PutNearLavaInstr l => new PutNearLavaVerifier(l, env.Resolve(l.Move)),
        PhrasedInstr p => new PhrasedVerifier(p, Build(p.Inner, env)),
        AndInstr a => new AndVerifier(Build(a.A, env), Build(a.B, env)),
        BeforeInstr b => new BeforeVerifier(Build(b.A, env), Build(b.B, env)),
        AfterInstr a => new AfterVerifier(Build(a.A, env), Build(a.B, env)),
        ReachGoalInstr r => new ReachGoalVerifier(r),
        HarmfulInstr h => new HarmfulVerifier(h),
        _ => throw new ArgumentException($"no verifier for {instruction.GetType().Name}", nameof(instruction)),
    };

    /// <summary>
    /// BabyAI's validate_instrs: every description must match something, and "put X next to Y" must not already
    /// hold nor ask to move an object next to itself ("put X next to the lava" likewise must not already hold).
    /// </summary>
    public static bool IsValid(IVerifier verifier, GridEnv env)
    {
        foreach (var leaf in verifier.Pending())
        {
            switch (leaf)
            {
                case GoToVerifier g when g.Target.Objects.Count == 0:
                case PickupVerifier p when p.Target.Objects.Count == 0:
                case OpenVerifier o when o.Target.Objects.Count == 0:
                    return false;
                case PutNearLavaVerifier l:
                    if (l.Move.Objects.Count == 0) return false;
                    if (l.ObjectNextToLava(env.Grid)) return false; // already done
                    break;
                case PutNextVerifier n:
                    if (n.Move.Objects.Count == 0 || n.Fixed.Objects.Count == 0) return false;
                    if (n.ObjectsNext()) return false; // already done
                    if (n.Move.Objects.Count == 1 && n.Fixed.Objects.Count == 1 && ReferenceEquals(n.Move.Objects[0], n.Fixed.Objects[0]))
                        return false; // cannot move an object next to itself
                    break;
            }
        }
        return true;
    }
}
