using Microsoft.AspNetCore.Authentication;

namespace ApiTokens.Authentication;

/// <summary>Options for the <c>whm</c> authentication handler.</summary>
public sealed class WhmTokenOptions : AuthenticationSchemeOptions
{
    /// <summary>Creates the options with default events.</summary>
    public WhmTokenOptions() => Events = new WhmTokenEvents();

    /// <summary>The longest <c>Authorization</c> header accepted; longer ones fail without parsing. Default 512.</summary>
    public int MaxHeaderLength { get; set; } = 512;

    /// <summary>The longest user name accepted. Default 128.</summary>
    public int MaxUserNameLength { get; set; } = 128;

    /// <summary>The value of <c>WWW-Authenticate</c> on a 401. Default <c>whm</c>.</summary>
    public string Challenge { get; set; } = WhmTokenDefaults.AuthenticationScheme;

    /// <summary>Hooks into authentication; see <see cref="WhmTokenEvents"/>.</summary>
    public new WhmTokenEvents Events
    {
        get => (WhmTokenEvents)base.Events!;
        set => base.Events = value;
    }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (MaxHeaderLength is < 64 or > 8192)
        {
            throw new InvalidOperationException(Messages.InvalidMaxHeaderLength);
        }

        if (MaxUserNameLength is < 1 or > 1024)
        {
            throw new InvalidOperationException(Messages.InvalidMaxUserNameLength);
        }

        if (string.IsNullOrWhiteSpace(Challenge))
        {
            throw new InvalidOperationException(Messages.EmptyChallenge);
        }
    }
}
