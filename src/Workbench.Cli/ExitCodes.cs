namespace Workbench.Cli;

public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>A check failed: a regression gate, a verification that found problems.</summary>
    public const int CheckFailed = 1;
    public const int UserError = 2;
    public const int InternalError = 70;
}
