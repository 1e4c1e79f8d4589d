using ApiTokens;
using ApiTokens.Sodium;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Hashes token secrets with libsodium's Argon2id: <c>services.AddApiTokens(...).AddSodiumHasher()</c>.</summary>
public static class SodiumHasherBuilderExtensions
{
    /// <summary>
    /// Replaces the token hasher with <see cref="SodiumArgon2ApiTokenHasher"/>: the same Argon2id parameters
    /// (<c>ApiTokens:Hashing</c>) and the same stored strings, computed by the native libsodium. Hashes stored before keep
    /// verifying, and each is rewritten on its next use when its parameters are weaker than the configured ones (or not ones
    /// libsodium computes).
    /// </summary>
    /// <remarks>
    /// It replaces whichever <see cref="IApiTokenHasher"/> is registered when it is called (the core's default, or an app's
    /// own): call it after any other hasher registration, or not at all. Calling it again changes nothing. The host refuses to
    /// start, with a message naming the setting or the library, when <c>ApiTokens:Hashing:Parallelism</c> is not 1,
    /// <c>ApiTokens:Hashing:SaltLength</c> is not 16, or the native libsodium cannot be loaded.
    /// </remarks>
    /// <param name="builder">The builder <c>services.AddApiTokens()</c> returned.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ApiTokensBuilder AddSodiumHasher(this ApiTokensBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var services = builder.Services;
        services.TryAddSingleton(SodiumRuntime.Native);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiTokenOptions>, SodiumHashingOptionsValidator>());

        // Replace, not TryAdd: the core registered its managed hasher already, and this one must win over it.
        services.RemoveAll<IApiTokenHasher>();
        services.AddSingleton<IApiTokenHasher>(sp => new SodiumArgon2ApiTokenHasher(
            sp.GetRequiredService<IOptions<ApiTokenOptions>>().Value.Hashing, sp.GetRequiredService<SodiumRuntime>()));
        return builder;
    }
}
