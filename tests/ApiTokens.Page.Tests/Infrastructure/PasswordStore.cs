using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;

namespace ApiTokens.Page.Tests.Infrastructure;

/// <summary>Passwords kept only as ASP.NET Core Identity hashes (PBKDF2), never in plain text.</summary>
public sealed class PasswordStore
{
    private readonly PasswordHasher<string> _hasher = new();
    private readonly ConcurrentDictionary<string, string> _hashes = new(StringComparer.Ordinal);

    public void Set(string user, string password) => _hashes[user] = _hasher.HashPassword(user, password);

    public bool Verify(string user, string password) =>
        _hashes.TryGetValue(user, out var hash)
        && _hasher.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed;
}
