using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ApiTokens.Authentication;

/// <summary>
/// Reads a whm scheme's options from the app's configuration, <c>Authentication:Schemes:{scheme}</c> (for example
/// <c>Authentication:Schemes:whm:MaxHeaderLength</c>), as ASP.NET's JwtBearer scheme does. It runs before the
/// <c>configure</c> delegate given to <c>AddWhmTokens</c>, so code wins over configuration. Read once per scheme, when the
/// options are first built (at start-up): a change needs a restart.
/// </summary>
internal sealed class WhmTokenConfigureOptions : IConfigureNamedOptions<WhmTokenOptions>
{
    private readonly IAuthenticationConfigurationProvider? _configuration;

    /// <summary>Reads from <paramref name="configuration"/>; without one (a host with no configuration), nothing is read.</summary>
    public WhmTokenConfigureOptions(IAuthenticationConfigurationProvider? configuration) => _configuration = configuration;

    /// <inheritdoc />
    public void Configure(string? name, WhmTokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(name) || _configuration is null)
        {
            return;
        }

        var section = _configuration.GetSchemeConfiguration(name);
        if (!section.GetChildren().Any())
        {
            return;
        }

        var path = (section as IConfigurationSection)?.Path ?? "Authentication:Schemes:" + name;
        options.MaxHeaderLength = ReadInt(section, path, nameof(options.MaxHeaderLength), options.MaxHeaderLength);
        options.MaxUserNameLength = ReadInt(section, path, nameof(options.MaxUserNameLength), options.MaxUserNameLength);
        options.Challenge = section[nameof(options.Challenge)] ?? options.Challenge;
        options.ClaimsIssuer = section[nameof(options.ClaimsIssuer)] ?? options.ClaimsIssuer;
        options.ForwardDefault = section[nameof(options.ForwardDefault)] ?? options.ForwardDefault;
        options.ForwardAuthenticate = section[nameof(options.ForwardAuthenticate)] ?? options.ForwardAuthenticate;
        options.ForwardChallenge = section[nameof(options.ForwardChallenge)] ?? options.ForwardChallenge;
        options.ForwardForbid = section[nameof(options.ForwardForbid)] ?? options.ForwardForbid;
    }

    /// <inheritdoc />
    public void Configure(WhmTokenOptions options) => Configure(Options.DefaultName, options);

    private static int ReadInt(IConfiguration section, string path, string key, int current)
    {
        var value = section[key];
        if (value is null)
        {
            return current;
        }

        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new InvalidOperationException(Messages.SchemeSettingNotANumber(path + ":" + key, value));
    }
}
