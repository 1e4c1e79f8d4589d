using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>Validates <see cref="ApiTokensHealthCheckOptions"/> when the host starts, with a message naming each setting.</summary>
internal sealed class ApiTokensHealthCheckOptionsValidator : IValidateOptions<ApiTokensHealthCheckOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiTokensHealthCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
