using System.Security.Cryptography;

namespace ApiTokens.Testing;

/// <summary>Builds stored token records directly, for tests of the store contract.</summary>
public static class TestTokens
{
    /// <summary>The creation time of every record <see cref="New"/> builds.</summary>
    public static readonly DateTimeOffset Created = new(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);

    /// <summary>A fresh account id, so tests sharing one database never see each other's tokens.</summary>
    public static string NewAccountId() => "acct-" + Guid.NewGuid().ToString("N");

    /// <summary>A random 8-character upper-case selector.</summary>
    public static string NewSelector() => RandomNumberGenerator.GetString("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 8);

    /// <summary>A fresh concurrency stamp.</summary>
    public static string NewStamp() => Guid.NewGuid().ToString("N");

    /// <summary>A full-access token record without expiry or IP whitelist, with a fixed Argon2id-shaped hash.</summary>
    public static ApiToken New(string accountId, string name, string? selector = null) => new()
    {
        Id = Guid.CreateVersion7(Created),
        AccountId = accountId,
        Name = name,
        Selector = selector ?? NewSelector(),
        SecretHash = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        CreatedAt = Created,
        ConcurrencyStamp = NewStamp(),
    };
}
