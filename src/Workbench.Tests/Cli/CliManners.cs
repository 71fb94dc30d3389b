using Workbench.Cli;

namespace Workbench.Tests.Cli;

/// <summary>User errors: one clear line on stderr naming the file/key, exit code 2, no stack trace unless --verbose.</summary>
public class CliMannersTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = WorkbenchCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Help_lists_every_command_in_the_catalog()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.All(CommandCatalog.All, c => Assert.Contains(c.Name, output));
    }

    public static TheoryData<string> CommandNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in CommandCatalog.All) data.Add(c.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(CommandNames))]
    public void Every_command_has_help_describing_its_options(string name)
    {
        var (code, output, _) = Run([.. name.Split(' '), "--help"]);
        Assert.Equal(0, code);
        Assert.Contains($"usage: workbench {name}", output);
        var command = CommandCatalog.All.Single(c => c.Name == name);
        Assert.False(string.IsNullOrWhiteSpace(command.Summary));
        Assert.All(command.Options, o => Assert.Contains($"--{o.Name}", output));
        Assert.All(command.Options, o => Assert.False(string.IsNullOrWhiteSpace(o.Help)));
    }

    [Fact]
    public void Unknown_command_is_a_user_error_with_a_suggestion()
    {
        var (code, _, err) = Run("valdate", "x.yaml");
        Assert.Equal(2, code);
        Assert.Contains("unknown command 'valdate'", err);
        Assert.Contains("did you mean 'validate'", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void Unknown_option_is_a_user_error()
    {
        var (code, _, err) = Run("validate", "x.yaml", "--prnt");
        Assert.Equal(2, code);
        Assert.Contains("unknown option --prnt (did you mean --print?)", err);
    }

    [Fact]
    public void Missing_file_names_the_file_and_shows_no_stack_trace()
    {
        var (code, _, err) = Run("validate", "no/such/file.yaml");
        Assert.Equal(2, code);
        Assert.Contains("no/such/file.yaml", err);
        Assert.DoesNotContain("   at ", err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void Verbose_adds_the_stack_trace()
    {
        var (code, _, err) = Run("validate", "no/such/file.yaml", "--verbose");
        Assert.Equal(2, code);
        Assert.Contains("   at ", err);
    }

    [Fact]
    public void Invalid_config_lists_every_problem_with_its_path()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("wb-cli-").FullName, "bad.yaml");
        File.WriteAllText(path, "kind: experiment\nname: b\ntrain: {lr: 0, stepz: 3}\ndata: {sources: [{path: a}]}");
        var (code, _, err) = Run("validate", path);
        Assert.Equal(2, code);
        Assert.Contains("train.lr: must be > 0", err);
        Assert.Contains("train.stepz: unknown key (did you mean 'steps'?)", err);
    }
}
