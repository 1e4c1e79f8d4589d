namespace ApiTokens.Testing;

/// <summary>The token helper <see cref="ApiTokensTestHost"/> and <see cref="ApiTokensTestServices"/> share.</summary>
internal static class TestHostTokens
{
    public static async Task<CreatedApiToken> CreateAsync(
        ApiTokenManager manager, ApiTokenAccount owner, string name, string[]? acls, DateTimeOffset? expiresAt, string[]? whitelist)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var result = await manager.CreateAsync(owner.Id, new ApiTokenCreateRequest { Name = name, Acls = acls, ExpiresAt = expiresAt, WhitelistIps = whitelist });
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value;
    }
}
