using ApiTokens;
using Microsoft.EntityFrameworkCore;

namespace WhmAdmin;

/// <summary>The library's view of the sample's accounts table.</summary>
internal sealed class DbAccountProvider(WhmAdminDbContext db) : IApiTokenAccountProvider
{
    public async ValueTask<ApiTokenAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.UserName == userName, cancellationToken).ConfigureAwait(false);

        // SQL collations may ignore case: re-check exactly.
        return account is not null && string.Equals(account.UserName, userName, StringComparison.Ordinal) ? ToApi(account) : null;
    }

    public async ValueTask<ApiTokenAccount?> FindByIdAsync(string accountId, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken).ConfigureAwait(false);
        return account is null ? null : ToApi(account);
    }

    internal static ApiTokenAccount ToApi(Account account) =>
        new(account.Id, account.UserName, account.IsSuspended, account.PrivilegeList);
}
