return Workbench.Cli.WorkbenchCli.Run(args);
