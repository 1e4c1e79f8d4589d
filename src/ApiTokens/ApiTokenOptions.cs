
namespace ApiTokens;

/// <summary>Options for the token core: the token format, hashing and extra privileges.</summary>
public sealed class ApiTokenOptions
{
    /// <summary>The token format (default: cPanel's 32 characters of <c>[0-9A-Z]</c>).</summary>
    public ApiTokenFormatOptions Format { get; set; } = new();

    /// <summary>Argon2id parameters.</summary>
    public Argon2HashingOptions Hashing { get; set; } = new();

    /// <summary>The verify cache (<c>ApiTokens:Cache</c>).</summary>
    public ApiTokenCacheOptions Cache { get; set; } = new();

    /// <summary>Limits on Argon2 work (<c>ApiTokens:Verification</c>).</summary>
    public ApiTokenVerificationOptions Verification { get; set; } = new();

    /// <summary>Privileges the host app adds to WHM's catalogue.</summary>
    public IList<Privilege> AdditionalPrivileges { get; } = [];

    /// <summary>At most this many whitelist entries per token. Default 100, as WHM.</summary>
    public int MaxWhitelistEntries { get; set; } = 100;
}
