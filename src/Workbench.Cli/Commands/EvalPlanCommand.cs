using System.CommandLine;
using System.Globalization;
using Workbench.Evals.Statistics;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench eval plan --p 0.8 --delta 0.05</c>: episodes needed to detect a change in a rate.</summary>
public sealed class EvalPlanCommand : ICommand
{
    private readonly Option<double?> _p = Declare.OptionalNumber<double>("--p", "the baseline rate (e.g. current success rate)", "RATE");
    private readonly Option<double?> _delta = Declare.OptionalNumber<double>("--delta", "the change to detect (candidate − baseline; negative for a drop)", "Δ");
    private readonly Option<double?> _discordance = Declare.OptionalNumber<double>("--paired-discordance",
        "expected share of episodes where the two versions disagree (paired design, McNemar)", "r");
    private readonly Option<double> _power = Declare.Number("--power", "probability of detecting the change", 0.8, "POWER");
    private readonly Option<double> _alpha = Declare.Number("--alpha", "two-sided significance level", 0.05, "ALPHA");

    public string Name => "eval plan";
    public string Summary => "How many episodes detect a change Δ in a success rate with the given power (two-sided test)";
    public IReadOnlyList<Symbol> Parameters => [_p, _delta, _discordance, _power, _alpha];

    public int Run(ParseResult parse, CliContext cli)
    {
        if (parse.GetValue(_p) is not { } p || parse.GetValue(_delta) is not { } delta)
            throw new UserError("eval plan: give --p RATE and --delta Δ, e.g. --p 0.8 --delta 0.05");
        double power = parse.GetValue(_power), alpha = parse.GetValue(_alpha);
        try
        {
            var inv = CultureInfo.InvariantCulture;
            int unpaired = PowerAnalysis.EpisodesForProportions(p, delta, alpha, power);
            cli.Out.WriteLine(string.Format(inv, "detect {0:0.###} → {1:0.###} (Δ = {2:+0.###;-0.###}) with power {3:0.##} at α = {4:0.###} (two-sided):", p, p + delta, delta, power, alpha));
            cli.Out.WriteLine(string.Format(inv, "  independent runs: {0} episodes per version ({1} in all)", unpaired, 2 * unpaired));
            if (parse.GetValue(_discordance) is { } rate)
            {
                int paired = PowerAnalysis.EpisodesForPairedProportions(rate, delta, alpha, power);
                cli.Out.WriteLine(string.Format(inv, "  paired (same episodes, McNemar, discordance {0:0.###}): {1} episodes, run by both versions", rate, paired));
            }
            else cli.Out.WriteLine("  paired designs need fewer: give --paired-discordance r (share of episodes where the versions disagree)");
            return ExitCodes.Ok;
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new UserError($"eval plan: {e.Message}");
        }
    }
}
