using System.CommandLine;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench completion bash</c>: prints a bash completion function. It hands the line typed so far to
/// System.CommandLine's <c>[suggest:POSITION]</c> directive (<c>workbench "[suggest:7]" "data bu"</c> prints
/// <c>build</c>), which knows every command, option, enum value and registry name (levels, config kinds, model families).
/// </summary>
public sealed class CompletionBashCommand : ICommand
{
    public const string Script = """
        # Tab completion for workbench in bash. Enable it with:  source <(workbench completion bash)
        # (add that line to ~/.bashrc to keep it). Suggestions come from `workbench "[suggest:N]" "LINE"`.
        _workbench_complete()
        {
            local line="${COMP_LINE:0:COMP_POINT}"
            line="${line#"${line%%[![:space:]]*}"}"
            local args=""
            [[ "$line" == *[[:space:]]* ]] && args="${line#*[[:space:]]}"
            local IFS=$'\n'
            COMPREPLY=( $("${COMP_WORDS[0]}" "[suggest:${#args}]" "$args" 2>/dev/null) )
        }
        complete -o default -F _workbench_complete workbench
        """;

    public string Name => "completion bash";
    public string Summary => "Print the bash tab-completion script (enable with: source <(workbench completion bash))";

    public int Run(ParseResult parse, CliContext cli)
    {
        cli.Out.WriteLine(Script);
        return ExitCodes.Ok;
    }
}
