using System.CommandLine;
using System.Text.RegularExpressions;
using Workbench.Cli;

namespace Workbench.Tests.Cli;

/// <summary>
/// How the CLI treats its user, asserted on what it prints: help made from the catalog, user errors as one clear line
/// on stderr with exit code 2 (no stack trace unless --verbose), typed values checked while parsing, tab completion.
/// </summary>
public class CliMannersTests
{
    private static string Experiment => Path.Combine(RepoRoot.Path, "experiments", "quickstart", "v1-short.yaml");

    public static TheoryData<string> CommandNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in CommandCatalog.All) data.Add(c.Name);
        return data;
    }

    [Fact]
    public void Help_lists_every_catalog_command_in_catalog_order_with_the_exit_codes()
    {
        var run = CliRun.Of("--help").Expect(ExitCodes.Ok);
        var rows = run.Out.Split('\n').SkipWhile(l => l.Trim() != "Commands:").Skip(1).TakeWhile(l => l.Trim().Length > 0).ToList();
        var named = rows.Select(r => Regex.Match(r, @"^  (\S+(?: \S+)*?)  ").Groups[1].Value).ToList();
        Assert.Equal(CommandCatalog.All.Select(c => c.Name), named);
        Assert.All(CommandCatalog.All, c => Assert.Contains(c.Summary, run.Out));
        Assert.Contains("Exit codes: 0 ok, 1 a check failed (gate, regression), 2 user error, 70 internal error", run.Out);
        Assert.Contains("--verbose", run.Out);
        Assert.Equal("", run.Err);
        Assert.Equal(run.Out, CliRun.Of().Expect(ExitCodes.Ok).Out); // a bare `workbench` prints the same overview
    }

    [Theory]
    [MemberData(nameof(CommandNames))]
    public void Every_command_has_help_describing_its_arguments_and_options(string name)
    {
        var command = CommandCatalog.All.Single(c => c.Name == name);
        var run = CliRun.Of([.. name.Split(' '), "--help"]).Expect(ExitCodes.Ok);
        // The usage line names the program as started (`workbench`; `testhost` under the test runner), then the command.
        Assert.Matches($@"Usage:\s+\S+ {Regex.Escape(name)}( |\r?\n)", run.Out);
        Assert.Contains(command.Summary, run.Out);
        Assert.All(command.Parameters.OfType<Argument>(), a => Assert.Contains($"<{a.Name}>", run.Out));
        Assert.All(command.Parameters.OfType<Option>(), o => Assert.Contains(o.Name, run.Out));
        Assert.All(command.Parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.Description), $"{name}: {p.Name} has no description"));
        Assert.All(command.Parameters, p => Assert.Contains(p.Description!, run.Out));
        Assert.Contains("--verbose", run.Out);
        Assert.Equal("", run.Err);
    }

    [Fact]
    public void A_group_alone_lists_its_commands()
    {
        var run = CliRun.Of("data").Expect(ExitCodes.Ok);
        foreach (var c in CommandCatalog.All.Where(c => c.Name.StartsWith("data ", StringComparison.Ordinal)))
            Assert.Contains(c.Name["data ".Length..], run.Out);
    }

    [Fact]
    public void Unknown_command_is_a_user_error_with_a_suggestion()
    {
        var run = CliRun.Of("valdate", "x.yaml").Expect(ExitCodes.UserError);
        Assert.Equal("error: unknown command 'valdate' (did you mean 'validate'?); run 'workbench --help' for the list", run.Err.Trim());
        Assert.Equal("", run.Out);

        var nested = CliRun.Of("data", "biuld", "datasets/x.yaml").Expect(ExitCodes.UserError);
        Assert.Contains("unknown command 'data biuld' (did you mean 'data build'?)", nested.Err);
    }

    [Fact]
    public void Unknown_option_is_a_user_error_naming_the_option_and_the_closest_one()
    {
        var run = CliRun.Of("validate", "x.yaml", "--prnt").Expect(ExitCodes.UserError);
        Assert.Equal("error: validate: unknown option --prnt (did you mean --print?); see 'workbench validate --help'", run.Err.Trim());
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Stray_and_missing_arguments_and_options_are_named()
    {
        Assert.Contains("validate: unexpected argument 'b.yaml'; usage: workbench validate <file> [options]",
            CliRun.Of("validate", "a.yaml", "b.yaml").Expect(ExitCodes.UserError).Err);
        Assert.Contains("validate: missing argument <file>", CliRun.Of("validate").Expect(ExitCodes.UserError).Err);
        Assert.Contains("eval merge: missing required option --out", CliRun.Of("eval", "merge", "a.parquet").Expect(ExitCodes.UserError).Err);
        Assert.Contains("env show: --tile needs a value (PX)", CliRun.Of("env", "show", "GoToRedBallGrey", "--tile").Expect(ExitCodes.UserError).Err);
    }

    public static TheoryData<string[], string> BadValues() => new()
    {
        { ["eval", "suite.yaml", "--shard", "5/3"], "error: eval: --shard '5/3': expected k/N with 1 ≤ k ≤ N, e.g. 2/4" },
        { ["eval", "suite.yaml", "--policy", "agent@"], "error: eval: --policy 'agent@': expected name@version (e.g. agent@v2)" },
        { ["eval", "suite.yaml", "--batch-size", "many"], "error: eval: --batch-size expects an integer, got 'many'" },
        { ["validate", "x.yaml", "--set", "train.steps"], "error: validate: --set 'train.steps': expected key.path=value" },
        { ["env", "show", "GoToRedBallGrey", "--seed", "x"], "error: env show: --seed expects an integer, got 'x'" },
        { ["env", "show", "GoToRedBallGrey", "--view", "sideways"], "error: env show: --view must be full or agent, got 'sideways'" },
        { ["eval", "plan", "--p", "1,5", "--delta", "0.1"], "error: eval plan: --p expects a number, got '1,5'" },
        { ["nightly", "n.yaml", "--date", "21-11-2026"], "error: nightly: --date expects YYYY-MM-DD, got '21-11-2026'" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Typed_values_are_checked_while_parsing(string[] args, string message)
    {
        var run = CliRun.Of(args).Expect(ExitCodes.UserError);
        Assert.Equal(message, run.Err.Trim());
        Assert.Equal("", run.Out); // refused before the command ran
    }

    [Fact]
    public void Verbose_inside_an_option_value_is_kept_as_the_value()
    {
        var run = CliRun.Of("validate", Experiment, "--set", "name=--verbose", "--print").Expect(ExitCodes.Ok);
        Assert.Contains("name: --verbose", run.Out);

        // `--set --verbose`: the word is --set's value (refused as an assignment), not the global flag.
        var bare = CliRun.Of("validate", Experiment, "--set", "--verbose").Expect(ExitCodes.UserError);
        Assert.Equal("error: validate: --set '--verbose': expected key.path=value", bare.Err.Trim());
    }

    [Fact]
    public void Missing_file_names_the_file_and_shows_no_stack_trace()
    {
        var run = CliRun.Of("validate", "no/such/file.yaml").Expect(ExitCodes.UserError);
        Assert.Equal("error: no/such/file.yaml: file not found", run.Err.Trim());
        Assert.Equal("", run.Out);
    }

    [Theory]
    [InlineData("validate", "no/such/file.yaml", "--verbose")]
    [InlineData("--verbose", "validate", "no/such/file.yaml")]
    public void Verbose_anywhere_on_the_line_adds_the_stack_trace(params string[] args)
    {
        var run = CliRun.Of(args).Expect(ExitCodes.UserError);
        Assert.StartsWith("error: no/such/file.yaml: file not found", run.Err);
        Assert.Contains("   at Workbench.Config.ConfigDocument", run.Err);
    }

    [Fact]
    public void Invalid_config_lists_every_problem_with_its_path()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("wb-cli-").FullName, "bad.yaml");
        File.WriteAllText(path, "kind: experiment\nname: b\ntrain: {lr: 0, stepz: 3}\ndata: {sources: [{path: a}]}");
        var run = CliRun.Of("validate", path).Expect(ExitCodes.UserError);
        Assert.Contains("train.lr: must be > 0", run.Err);
        Assert.Contains("train.stepz: unknown key (did you mean 'steps'?)", run.Err);
    }

    [Fact]
    public void Validate_prints_the_kind_and_hash_of_a_good_config()
    {
        var run = CliRun.Of("validate", Experiment).Expect(ExitCodes.Ok);
        Assert.Matches(@"v1-short\.yaml: valid experiment \(sha256 [0-9a-f]{12}\)", run.Out);
        Assert.Equal("", run.Err);
    }

    [Theory]
    [InlineData("data bu", "build")]
    [InlineData("env show GoToRed", "GoToRedBallGrey")]
    [InlineData("env show GoToRedBallGrey --view ", "agent")]
    [InlineData("config docs ", "experiment")]
    [InlineData("bench train --family ", "transformer")]
    [InlineData("eval plan --pa", "--paired-discordance")]
    public void The_suggest_directive_completes_commands_options_and_values(string line, string expected)
    {
        var run = CliRun.Of($"[suggest:{line.Length}]", line).Expect(ExitCodes.Ok);
        Assert.Contains(expected, run.Out.Split('\n', StringSplitOptions.TrimEntries));
    }

    [Theory]
    [InlineData("workbench data bu", "build")]
    [InlineData("workbench env show GoToRedBallG", "GoToRedBallGrey")]
    [InlineData("workbench eval plan --pow", "--power")]
    public void Bash_completes_through_the_printed_script_and_the_real_program(string line, string expected)
    {
        // The test folder holds the `workbench` program (the CLI project is referenced); bash sources the script as a
        // user's ~/.bashrc would and calls the completion function the way bash does on TAB.
        string script = $$"""
            source <(workbench completion bash)
            COMP_LINE='{{line}}'; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<< "$COMP_LINE"; COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            _workbench_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        var start = new System.Diagnostics.ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PATH"] = AppContext.BaseDirectory + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        using var bash = System.Diagnostics.Process.Start(start)!;
        string output = bash.StandardOutput.ReadToEnd(), error = bash.StandardError.ReadToEnd();
        bash.WaitForExit();
        Assert.True(bash.ExitCode == 0, error);
        Assert.Equal([expected], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
