using Microsoft.Extensions.Options;

namespace ApiTokens.Redis;

/// <summary>Validates <see cref="RedisBackplaneOptions"/> at start-up with messages that name the setting.</summary>
internal sealed class RedisBackplaneOptionsValidator : IValidateOptions<RedisBackplaneOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisBackplaneOptions options)
    {
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
