using System.Security.Cryptography;

namespace ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>Builds stored token records directly, for tests of the store contract.</summary>
public static class TestTokens
{
    public static readonly DateTimeOffset Created = new(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);

    public static string NewAccountId() => "acct-" + Guid.NewGuid().ToString("N");

    public static string NewSelector() => RandomNumberGenerator.GetString("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 8);

    public static string NewStamp() => Guid.NewGuid().ToString("N");

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
