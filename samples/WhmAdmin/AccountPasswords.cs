using Microsoft.AspNetCore.Identity;

namespace WhmAdmin;

/// <summary>Passwords are kept only as ASP.NET Core Identity hashes (PBKDF2-SHA512, salted), never in plain text.</summary>
internal static class AccountPasswords
{
    private static readonly PasswordHasher<Account> Hasher = new();

    // Verified when the user does not exist or has no password, so both cases take as long as a wrong password.
    private static readonly Lazy<string> DummyHash = new(() => Hasher.HashPassword(null!, Guid.NewGuid().ToString("N")));

    public static string Hash(Account account, string password) => Hasher.HashPassword(account, password);

    public static bool Verify(Account? account, string password)
    {
        if (account?.PasswordHash is not { Length: > 0 } hash)
        {
            Hasher.VerifyHashedPassword(null!, DummyHash.Value, password);
            return false;
        }

        return Hasher.VerifyHashedPassword(account, hash, password) != PasswordVerificationResult.Failed;
    }
}
