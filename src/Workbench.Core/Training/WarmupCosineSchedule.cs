namespace Workbench.Training;

/// <summary>
/// Learning rate for optimizer step s (0-based): linear warmup to <c>peak</c> over <c>warmup</c> steps, then a cosine
/// from <c>peak</c> down to <c>peak · minRatio</c> at the last step. A pure function of s, so resuming needs only s.
/// </summary>
public sealed record WarmupCosineSchedule(double Peak, int Warmup, int Total, double MinRatio = 0.1)
{
    public double At(int step)
    {
        if (step < Warmup) return Peak * (step + 1) / Warmup;
        double progress = Math.Clamp((double)(step - Warmup) / Math.Max(1, Total - Warmup - 1), 0, 1);
        double min = Peak * MinRatio;
        return min + (Peak - min) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
