using System.Globalization;
using Workbench.Evals.Statistics;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench eval plan --p 0.8 --delta 0.05</c>: episodes needed to detect a change in a rate.</summary>
public sealed class EvalPlanCommand : ICommand
{
    public string Name => "eval plan";
    public string Summary => "How many episodes detect a change Δ in a success rate with the given power (two-sided test)";
    public IReadOnlyList<OptionSpec> Options =>
    [
        new("p", "the baseline rate (e.g. current success rate)", ValueName: "RATE"),
        new("delta", "the change to detect (candidate − baseline; negative for a drop)", ValueName: "Δ"),
        new("paired-discordance", "expected share of episodes where the two versions disagree (paired design, McNemar)", ValueName: "r"),
        new("power", "probability of detecting the change", Default: "0.8", ValueName: "POWER"),
        new("alpha", "two-sided significance level", Default: "0.05", ValueName: "ALPHA"),
    ];

    public int Run(ParsedArgs args)
    {
        double p = args.Double("p", double.NaN), delta = args.Double("delta", double.NaN);
        if (double.IsNaN(p) || double.IsNaN(delta)) throw new UserError("eval plan: give --p RATE and --delta Δ, e.g. --p 0.8 --delta 0.05");
        double power = args.Double("power", 0.8), alpha = args.Double("alpha", 0.05);
        string? r = args.Option("paired-discordance");
        try
        {
            var inv = CultureInfo.InvariantCulture;
            int unpaired = PowerAnalysis.EpisodesForProportions(p, delta, alpha, power);
            Console.Out.WriteLine(string.Format(inv, "detect {0:0.###} → {1:0.###} (Δ = {2:+0.###;-0.###}) with power {3:0.##} at α = {4:0.###} (two-sided):", p, p + delta, delta, power, alpha));
            Console.Out.WriteLine(string.Format(inv, "  independent runs: {0} episodes per version ({1} in all)", unpaired, 2 * unpaired));
            if (r != null)
            {
                double rate = args.Double("paired-discordance", double.NaN);
                int paired = PowerAnalysis.EpisodesForPairedProportions(rate, delta, alpha, power);
                Console.Out.WriteLine(string.Format(inv, "  paired (same episodes, McNemar, discordance {0:0.###}): {1} episodes, run by both versions", rate, paired));
            }
            else Console.Out.WriteLine("  paired designs need fewer: give --paired-discordance r (share of episodes where the versions disagree)");
            return ExitCodes.Ok;
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new UserError($"eval plan: {e.Message}");
        }
    }
}
