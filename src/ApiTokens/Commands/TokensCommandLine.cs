using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;

namespace ApiTokens;

/// <summary>
/// The <c>tokens</c> command tree on System.CommandLine: <c>create</c>, <c>list</c>, <c>revoke</c>, <c>privileges</c>, the
/// legacy imports, and <c>rotate</c> and <c>audit</c> (TokensCommandLine.Lifecycle.cs), each with <c>--help</c>. Parsing is all
/// here (usage errors are exit code 2, before anything runs); <see cref="TokenCommandHandlers"/> runs the command.
/// </summary>
internal sealed partial class TokensCommandLine
{
    public const string Name = "tokens";

    private static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null };

    private readonly IServiceProvider _services;

    private readonly Option<string> _user = new("--user") { Description = Messages.UserOptionDescription, Required = true, HelpName = "USER" };

    private readonly Option<string> _name = new("--name") { Description = Messages.NameOptionDescription(), Required = true, HelpName = "NAME" };

    private readonly Option<string[]> _acl = new("--acl") { Description = Messages.AclOptionDescription, HelpName = "PRIVILEGE" };

    private readonly Option<bool> _fullAccess = new("--full-access") { Description = Messages.FullAccessOptionDescription };

    private readonly Option<DateTimeOffset?> _expiresAt = new("--expires-at")
    {
        Description = Messages.ExpiresAtOptionDescription,
        HelpName = "UNIX-TIME",
        CustomParser = ParseExpiresAt,
    };

    private readonly Option<string[]> _whitelistIp = new("--whitelist-ip") { Description = Messages.WhitelistIpOptionDescription, HelpName = "IP-OR-CIDR" };

    private readonly Option<string> _importUser = new("--user") { Description = Messages.ImportUserOptionDescription, HelpName = "USER" };

    private readonly Argument<string> _importFile = new("file") { Description = Messages.ImportFileArgumentDescription, HelpName = "USER.json" };

    private readonly Option<string> _accessHashFile = new("--file") { Description = Messages.AccessHashFileOptionDescription, HelpName = "FILE" };

    private readonly TextReader _stdin;

    public TokensCommandLine(IServiceProvider services, TextReader? stdin = null)
    {
        _services = services;
        _stdin = stdin ?? Console.In;
    }

    /// <summary>Whether <paramref name="args"/> are a <c>tokens</c> command line.</summary>
    public static bool Matches(string[] args) => args.Length > 0 && string.Equals(args[0], Name, StringComparison.Ordinal);

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var result = BuildRoot().Parse(args, Parsing);
        var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        if (result.Action is TokensHelpAction)
        {
            return await result.InvokeAsync(invocation).ConfigureAwait(false);
        }

        var errors = result.Errors.Select(e => e.Message).Concat(UnknownArguments(result)).Concat(SwallowedSettings(args, result.UnmatchedTokens)).ToList();
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                await stderr.WriteLineAsync(error).ConfigureAwait(false);
            }

            await stderr.WriteLineAsync(Messages.SeeCommandHelp(CommandPath(result.CommandResult.Command))).ConfigureAwait(false);
            return CommandExitCodes.UsageError;
        }

        return await result.InvokeAsync(invocation).ConfigureAwait(false);
    }

    /// <summary>
    /// Arguments no command took, except host configuration in the <c>--Key=value</c> (or <c>/Key=value</c>) form, which the
    /// host's command-line configuration reads: anything else (a misspelt option) is a usage error, never silently ignored.
    /// </summary>
    private IEnumerable<string> UnknownArguments(ParseResult result)
    {
        foreach (var token in result.UnmatchedTokens)
        {
            if (!IsHostConfiguration(token, out var key))
            {
                yield return Messages.UnknownCommandArgument(token);
            }
            else if (OptionLike(key) is { } option)
            {
                // "--ACL=list-accts" or "--whitelist-ips=…" must not pass as configuration: dropping it would make a token
                // with more access than asked for (full access, any address, no expiry).
                yield return Messages.MisspeltOption(token, option);
            }
        }
    }

    /// <summary>
    /// Host settings that ASP.NET's command-line configuration (which read the same arguments when the host was built) took as
    /// the value of the argument before them: it reads <c>--switch</c> or <c>/switch</c> without <c>=</c> as a key whose value is
    /// the next argument, so in <c>import-whm /var/root.json --ConnectionStrings:X=…</c> or <c>--full-access --Key=…</c> the
    /// setting never reached the host, and the command would run against the default store.
    /// </summary>
    private static IEnumerable<string> SwallowedSettings(string[] args, IReadOnlyList<string> hostArguments)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var isSwitch = arg.StartsWith("--", StringComparison.Ordinal) || arg.StartsWith('/');
            if (!isSwitch || arg.Contains('=', StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                continue;
            }

            if (IsHostConfiguration(args[i + 1], out _) && hostArguments.Contains(args[i + 1], StringComparer.Ordinal))
            {
                yield return Messages.SwallowedHostSetting(args[i + 1], arg);
            }

            i++; // the configuration provider took the next argument as this one's value
        }
    }

    private static bool IsHostConfiguration(string token, out string key)
    {
        var start = token.StartsWith("--", StringComparison.Ordinal) ? 2 : token.StartsWith('/') ? 1 : -1;
        var equals = start > 0 ? token.IndexOf('=', start) : -1;
        key = equals > start ? token[start..equals] : string.Empty;
        return equals > start;
    }

    /// <summary>The command option <paramref name="key"/> resembles (same letters ignoring case, dashes and a plural or suffix), if any.</summary>
    private string? OptionLike(string key)
    {
        var wanted = Normalize(key.Split(':')[0]);
        Option[] options = [_user, _name, _acl, _fullAccess, _expiresAt, _whitelistIp, _accessHashFile, .. LifecycleOptions];
        foreach (var option in options)
        {
            var name = Normalize(option.Name);
            if (wanted.Length > 0 && (wanted.StartsWith(name, StringComparison.Ordinal) || name.StartsWith(wanted, StringComparison.Ordinal)))
            {
                return option.Name;
            }
        }

        return null;

        static string Normalize(string text) =>
            string.Concat(text.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant));
    }

    private static string CommandPath(Command command) =>
        command is RootCommand or { Name: Name } ? Name : Name + " " + command.Name;

    private static DateTimeOffset? ParseExpiresAt(ArgumentResult result)
    {
        var value = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (value.Trim().Length == 0 || !UnixTime.TryParse(value, out var expiresAt))
        {
            result.AddError(Messages.InvalidExpiresAt(value));
            return null;
        }

        return expiresAt;
    }

    private RootCommand BuildRoot()
    {
        var tokens = new Command(Name, Messages.TokensCommandDescription)
        {
            CreateCommand(), ListCommand(), RevokeCommand(), RotateCommand(), AuditCommand(), PrivilegesCommand(), ImportWhmCommand(),
            ConvertAccessHashCommand(),
        };

        var root = new RootCommand(Messages.TokensCommandDescription) { tokens };
        if (root.Options.OfType<HelpOption>().FirstOrDefault() is { Action: HelpAction help } helpOption)
        {
            helpOption.Action = new TokensHelpAction(help);
        }

        return root;
    }

    private Command CreateCommand()
    {
        var create = new Command("create", Messages.CreateCommandDescription)
        {
            _user, _name, _acl, _fullAccess, _expiresAt, _whitelistIp,
        };
        create.TreatUnmatchedTokensAsErrors = false;
        create.Validators.Add(command =>
        {
            if (command.GetValue(_acl) is { Length: > 0 } && command.GetValue(_fullAccess))
            {
                command.AddError(Messages.AclAndFullAccess);
            }
        });
        create.SetAction((result, cancellationToken) => Handlers(result).CreateAsync(
            result.GetRequiredValue(_user),
            new ApiTokenCreateRequest
            {
                Name = result.GetRequiredValue(_name),
                Acls = result.GetValue(_acl) is { Length: > 0 } acls ? acls : null, // none: full access, as WHM
                ExpiresAt = result.GetValue(_expiresAt),
                WhitelistIps = result.GetValue(_whitelistIp) is { Length: > 0 } ips ? ips : null,
            },
            cancellationToken));
        return create;
    }

    private Command ListCommand()
    {
        var list = new Command("list", Messages.ListCommandDescription) { _user };
        list.TreatUnmatchedTokensAsErrors = false;
        list.SetAction((result, cancellationToken) => Handlers(result).ListAsync(result.GetRequiredValue(_user), cancellationToken));
        return list;
    }

    private Command RevokeCommand()
    {
        var revoke = new Command("revoke", Messages.RevokeCommandDescription) { _user, _name };
        revoke.TreatUnmatchedTokensAsErrors = false;
        revoke.SetAction((result, cancellationToken) =>
            Handlers(result).RevokeAsync(result.GetRequiredValue(_user), result.GetRequiredValue(_name), cancellationToken));
        return revoke;
    }

    private Command PrivilegesCommand()
    {
        var privileges = new Command("privileges", Messages.PrivilegesCommandDescription) { _user };
        privileges.TreatUnmatchedTokensAsErrors = false;
        privileges.SetAction((result, cancellationToken) => Handlers(result).PrivilegesAsync(result.GetRequiredValue(_user), cancellationToken));
        return privileges;
    }

    private Command ImportWhmCommand()
    {
        var import = new Command("import-whm", Messages.ImportWhmCommandDescription) { _importFile, _importUser };
        import.TreatUnmatchedTokensAsErrors = false;
        import.SetAction((result, cancellationToken) =>
            Handlers(result).ImportWhmAsync(result.GetRequiredValue(_importFile), result.GetValue(_importUser), cancellationToken));
        return import;
    }

    private Command ConvertAccessHashCommand()
    {
        var convert = new Command("convert-accesshash", Messages.ConvertAccessHashCommandDescription) { _user, _accessHashFile };
        convert.TreatUnmatchedTokensAsErrors = false;
        convert.SetAction((result, cancellationToken) =>
            Handlers(result).ConvertAccessHashAsync(result.GetRequiredValue(_user), result.GetValue(_accessHashFile), cancellationToken));
        return convert;
    }

    private TokenCommandHandlers Handlers(ParseResult result) =>
        new(_services, _stdin, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);

}
