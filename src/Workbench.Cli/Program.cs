// An MPI rank's stdout is a pseudo-terminal Open MPI forwards to mpirun's output (often a log file); with the
// user's TERM, .NET would start it with the terminal's keypad-mode escape codes, so ranks use a plain terminal.
if (Workbench.Distributed.MpiLaunch.FromEnvironment().IsMpi) Environment.SetEnvironmentVariable("TERM", "dumb");
return Workbench.Cli.WorkbenchCli.Run(args);
