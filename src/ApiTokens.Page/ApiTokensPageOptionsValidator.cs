using Microsoft.Extensions.Options;

namespace ApiTokens.Page;

/// <summary>Checks <see cref="ApiTokensPageOptions"/> at start-up, so a mistake fails there with a sentence that says what to fix.</summary>
internal sealed class ApiTokensPageOptionsValidator : IValidateOptions<ApiTokensPageOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiTokensPageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string>? failures = null;
        if (string.IsNullOrWhiteSpace(options.UserNameClaimType))
        {
            (failures ??= []).Add(PageMessages.EmptyUserNameClaimType);
        }

        if (string.IsNullOrWhiteSpace(options.Title))
        {
            (failures ??= []).Add(PageMessages.EmptyTitle);
        }

        if (options.AuthenticationSchemes.Any(string.IsNullOrWhiteSpace))
        {
            (failures ??= []).Add(PageMessages.EmptyAuthenticationScheme);
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
