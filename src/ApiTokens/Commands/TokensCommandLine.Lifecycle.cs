using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ApiTokens;

/// <summary><c>tokens rotate</c> and <c>tokens audit</c>: their options and how their values are read.</summary>
internal sealed partial class TokensCommandLine
{
    private readonly Option<TimeSpan> _gracePeriod = new("--grace-period")
    {
        Description = Messages.GracePeriodOptionDescription,
        HelpName = "SECONDS|TIMESPAN",
        CustomParser = ParseGracePeriod,
    };

    private readonly Option<string> _auditUser = new("--user") { Description = Messages.AuditUserOptionDescription, HelpName = "USER" };

    private readonly Option<DateTimeOffset?> _since = new("--since")
    {
        Description = Messages.AuditSinceOptionDescription,
        HelpName = "TIME",
        CustomParser = r => ParseAuditTime(r, "--since"),
    };

    private readonly Option<DateTimeOffset?> _until = new("--until")
    {
        Description = Messages.AuditUntilOptionDescription,
        HelpName = "TIME",
        CustomParser = r => ParseAuditTime(r, "--until"),
    };

    private readonly Option<int> _skip = new("--skip")
    {
        Description = Messages.AuditSkipOptionDescription(),
        HelpName = "N",
        CustomParser = r => ParseCount(r, 0, int.MaxValue, Messages.InvalidAuditSkip),
    };

    private readonly Option<int> _take = new("--take")
    {
        Description = Messages.AuditTakeOptionDescription(),
        HelpName = "N",
        CustomParser = r => ParseCount(r, 1, ApiTokenAuditQuery.MaxTake, Messages.InvalidAuditTake),
        DefaultValueFactory = _ => 50,
    };

    private readonly Option<bool> _json = new("--json") { Description = Messages.AuditJsonOptionDescription };

    /// <summary>The options of these commands, for the misspelt-option check.</summary>
    private Option[] LifecycleOptions => [_gracePeriod, _since, _until, _skip, _take, _json];

    private Command RotateCommand()
    {
        var rotate = new Command("rotate", Messages.RotateCommandDescription) { _user, _name, _gracePeriod };
        rotate.TreatUnmatchedTokensAsErrors = false;
        rotate.SetAction((result, cancellationToken) => Handlers(result).RotateAsync(
            result.GetRequiredValue(_user), result.GetRequiredValue(_name), result.GetValue(_gracePeriod), cancellationToken));
        return rotate;
    }

    private Command AuditCommand()
    {
        var audit = new Command("audit", Messages.AuditCommandDescription) { _auditUser, _since, _until, _skip, _take, _json };
        audit.TreatUnmatchedTokensAsErrors = false;
        audit.Validators.Add(command =>
        {
            if (Given(command, _since) is { } since && Given(command, _until) is { } until && since >= until)
            {
                command.AddError(Messages.AuditSinceAfterUntil);
            }
        });
        audit.SetAction((result, cancellationToken) => Handlers(result).AuditAsync(
            result.GetValue(_auditUser),
            new ApiTokenAuditQuery { Since = result.GetValue(_since), Until = result.GetValue(_until), Skip = result.GetValue(_skip), Take = result.GetValue(_take) },
            result.GetValue(_json),
            cancellationToken));
        return audit;
    }

    /// <summary>Whole seconds (<c>3600</c>) or a time span (<c>1.00:00:00</c>, <c>00:30:00</c>); the manager checks the range.</summary>
    private static TimeSpan ParseGracePeriod(ArgumentResult result)
    {
        var value = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : string.Empty;
        if (value.Length > 0 && value.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0)
        {
            if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= (long)TimeSpan.MaxValue.TotalSeconds)
            {
                return TimeSpan.FromSeconds(seconds);
            }
        }
        else if (value.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span))
        {
            return span;
        }

        result.AddError(Messages.InvalidGracePeriodOption(value));
        return TimeSpan.Zero;
    }

    private static DateTimeOffset? ParseAuditTime(ArgumentResult result, string option)
    {
        var value = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (ReadAuditTime(value) is { } at)
        {
            return at;
        }

        result.AddError(Messages.InvalidAuditTime(option, value.Trim()));
        return null;
    }

    /// <summary>The time given to <paramref name="option"/> when it was given and can be read (the parser reports it otherwise).</summary>
    private static DateTimeOffset? Given(CommandResult command, Option<DateTimeOffset?> option) =>
        command.GetResult(option) is { Tokens: [var token] } ? ReadAuditTime(token.Value) : null;

    /// <summary>Unix seconds, or an ISO 8601 date and time (UTC when it names no offset); null when it is neither.</summary>
    private static DateTimeOffset? ReadAuditTime(string text)
    {
        var value = text.Trim();
        if (value.Length > 0 && value.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0)
        {
            return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= UnixTime.MaxSeconds
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
        }

        return value.Length > 0
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var at)
            ? at.ToUniversalTime()
            : null;
    }

    private static int ParseCount(ArgumentResult result, int min, int max, Func<string, string> error)
    {
        var value = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : string.Empty;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= min && count <= max)
        {
            return count;
        }

        result.AddError(error(value));
        return min;
    }
}
