using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace ApiTokens;

/// <summary>
/// System.CommandLine's help, followed by what a script needs to know: the exit codes, and (for a command that runs) that
/// <c>--Key=value</c> arguments are the host's configuration (the "additional arguments" of the usage line).
/// </summary>
internal sealed class TokensHelpAction(HelpAction help) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var code = help.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        if (parseResult.CommandResult.Command.Subcommands.Count == 0)
        {
            output.WriteLine(Messages.HostConfigurationHelp);
            output.WriteLine();
        }

        output.WriteLine(Messages.CommandExitCodes);
        output.WriteLine();
        return code;
    }
}
