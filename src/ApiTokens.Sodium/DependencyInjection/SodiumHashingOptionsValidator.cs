using ApiTokens;
using ApiTokens.Sodium;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// What <c>AddSodiumHasher()</c> checks when the host starts (with the core's options validation, so before any request): the
/// hashing options are ones libsodium can produce, and the native library loads. Each failure names the setting or the
/// library, and what to do.
/// </summary>
internal sealed class SodiumHashingOptionsValidator : IValidateOptions<ApiTokenOptions>
{
    private readonly SodiumRuntime _runtime;

    public SodiumHashingOptionsValidator(SodiumRuntime runtime) => _runtime = runtime;

    public ValidateOptionsResult Validate(string? name, ApiTokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = SodiumArgon2ApiTokenHasher.Validate(options.Hashing).ToList();
        if (_runtime.LoadError() is { } reason)
        {
            errors.Add(Messages.LibraryNotLoaded(reason));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
