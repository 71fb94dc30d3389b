using System.CommandLine;
using Workbench.Distributed;

namespace Workbench.Cli;

/// <summary>
/// Runs a command as one rank of an MPI job (or as the only process) so that a failure is reported once and no
/// rank is left waiting in a collective:
/// - an error every rank detected together (<see cref="AllRanksError"/>) is printed by rank 0;
/// - a failure in a step the ranks agreed on is printed by the lowest failing rank (<see cref="AgreedFailureException"/>)
///   while the others stop silently (<see cref="PeerFailedException"/>);
/// - any other error was seen by this rank alone: it is printed with the rank and MPI_Abort ends every rank.
/// A single process keeps the CLI's usual error handling.
/// </summary>
internal static class RankedRun
{
    public static int Run(ParseResult parse, CliContext cli, Func<ICollective, int> command)
    {
        var launch = MpiLaunch.FromEnvironment();
        ICollective world;
        try
        {
            world = Collectives.FromLaunch(launch);
        }
        catch (UserError) when (launch.Rank > 0)
        {
            return ExitCodes.UserError; // no MPI to agree with: every rank failed alike, and the launcher's rank 0 prints it
        }
        using (world)
        {
            if (world.Size == 1) return command(world);
            try
            {
                return command(world);
            }
            catch (PeerFailedException)
            {
                return ExitCodes.UserError;
            }
            catch (AllRanksError e)
            {
                if (world.IsRoot) cli.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.UserError;
            }
            catch (AgreedFailureException e)
            {
                return Report(cli, parse, e.InnerException!, e.OnEveryRank ? null : $"rank {e.Rank} of {world.Size}");
            }
            catch (Exception e)
            {
                int code = Report(cli, parse, e, $"rank {world.Rank} of {world.Size}");
                cli.Error.Flush();
                world.Abort(code); // only this rank failed: the others would wait forever in the next collective
                throw; // not reached: MPI_Abort ends the process
            }
        }
    }

    /// <summary>Prints an error as the CLI does (user errors: the message; others: type and first line), naming the rank.</summary>
    private static int Report(CliContext cli, ParseResult parse, Exception e, string? where)
    {
        string at = where is null ? "" : $" ({where})";
        string? user = WorkbenchCli.UserFacing(e);
        cli.Error.WriteLine(user is not null ? $"error{at}: {user}" : $"internal error{at}: {e.GetType().Name}: {e.Message.Split('\n', 2)[0].TrimEnd()}");
        if (parse.GetValue(CommandTree.Verbose)) cli.Error.WriteLine(e);
        return user is not null ? ExitCodes.UserError : ExitCodes.InternalError;
    }
}
