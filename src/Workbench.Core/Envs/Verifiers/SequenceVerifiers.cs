namespace Workbench.Envs;

/// <summary>"A and B" (BabyAI AndInstr): each part is remembered once done; success when both are.</summary>
public sealed class AndVerifier(IVerifier a, IVerifier b) : IVerifier
{
    private bool _aDone, _bDone;

    public VerifyStatus Verify(GridEnv env, AgentAction action)
    {
        if (!_aDone)
        {
            var s = a.Verify(env, action);
            if (s == VerifyStatus.Failure) return s;
            _aDone = s == VerifyStatus.Success;
        }
        if (!_bDone)
        {
            var s = b.Verify(env, action);
            if (s == VerifyStatus.Failure) return s;
            _bDone = s == VerifyStatus.Success;
        }
        return _aDone && _bDone ? VerifyStatus.Success : VerifyStatus.Continue;
    }

    public IEnumerable<IActionVerifier> Pending()
    {
        if (!_aDone) foreach (var p in a.Pending()) yield return p;
        if (!_bDone) foreach (var p in b.Pending()) yield return p;
    }

    public string Surface() => a.Surface() + " and " + b.Surface();
}

/// <summary>"A, then B" (BabyAI BeforeInstr): B only counts once A is done; the same step may finish both.</summary>
public sealed class BeforeVerifier(IVerifier a, IVerifier b) : IVerifier
{
    private bool _aDone;

    public VerifyStatus Verify(GridEnv env, AgentAction action)
    {
        if (!_aDone)
        {
            var s = a.Verify(env, action);
            if (s != VerifyStatus.Success) return s;
            _aDone = true;
        }
        return b.Verify(env, action);
    }

    public IEnumerable<IActionVerifier> Pending() => _aDone ? b.Pending() : a.Pending().Concat(b.Pending());

    public string Surface() => a.Surface() + ", then " + b.Surface();
}

/// <summary>"A after you B" (BabyAI AfterInstr): B first, then A.</summary>
public sealed class AfterVerifier(IVerifier a, IVerifier b) : IVerifier
{
    private bool _bDone;

    public VerifyStatus Verify(GridEnv env, AgentAction action)
    {
        if (!_bDone)
        {
            var s = b.Verify(env, action);
            if (s != VerifyStatus.Success) return s;
            _bDone = true;
        }
        return a.Verify(env, action);
    }

    public IEnumerable<IActionVerifier> Pending() => _bDone ? a.Pending() : b.Pending().Concat(a.Pending());

    public string Surface() => a.Surface() + " after you " + b.Surface();
}

/// <summary>An instruction in its own words (<see cref="PhrasedInstr"/>): judged by the inner verifier, shown as the phrase.</summary>
public sealed class PhrasedVerifier(PhrasedInstr instruction, IVerifier inner) : IVerifier
{
    public VerifyStatus Verify(GridEnv env, AgentAction action) => inner.Verify(env, action);
    public IEnumerable<IActionVerifier> Pending() => inner.Pending();
    public string Surface() => instruction.Text;
}
