using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>Validates <see cref="ApiTokenOptions"/> at start-up with messages that name the setting.</summary>
internal sealed class ApiTokenOptionsValidator : IValidateOptions<ApiTokenOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiTokenOptions options)
    {
        var errors = options.Format.Validate().Concat(options.Hashing.Validate()).Concat(options.Cache.Validate()).Concat(options.Verification.Validate()).ToList();
        errors.AddRange(options.Policy.Validate());
        if (options.MaxWhitelistEntries is < 1 or > 10_000)
        {
            errors.Add(Messages.InvalidMaxWhitelistEntries);
        }

        if (options.LegacyTokenRefreshInterval < TimeSpan.FromSeconds(1) || options.LegacyTokenRefreshInterval > TimeSpan.FromDays(1))
        {
            errors.Add(Messages.InvalidLegacyTokenRefreshInterval);
        }

        errors.AddRange(options.Usage.Validate());
        errors.AddRange(options.Rotation.Validate());
        errors.AddRange(options.Audit.Validate());
        errors.AddRange(options.ClientLimits.Validate());
        PrivilegeCatalogRules.Build(options, errors);

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
