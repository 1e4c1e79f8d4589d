using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ApiTokens.EntityFrameworkCore;

/// <content>The helpers the store's calls share: SQLite's secure delete, ordinal ordering, LIKE escaping, duplicate checks.</content>
public sealed partial class EntityFrameworkApiTokenStore<TContext>
{
    /// <summary>
    /// Runs an update or delete on SQLite with <c>PRAGMA secure_delete</c> on for its connection, so the bytes of a replaced
    /// hash or selector (an imported token's SHA-512, a revoked token's hash) are zeroed in the database file rather than left in
    /// freed space. Other providers run <paramref name="write"/> as it is. The pragma is sent as a plain command (EF does not log it).
    /// </summary>
    private async Task<int> WithSecureDeleteAsync(Func<Task<int>> write, CancellationToken cancellationToken)
    {
        if (_context.Database.ProviderName != "Microsoft.EntityFrameworkCore.Sqlite")
        {
            return await write().ConfigureAwait(false);
        }

        await _context.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var command = _context.Database.GetDbConnection().CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = "PRAGMA secure_delete = ON;";
                command.Transaction = _context.Database.CurrentTransaction?.GetDbTransaction();
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return await write().ConfigureAwait(false);
        }
        finally
        {
            await _context.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The collation that makes <c>ORDER BY name</c> ordinal. SQLite's default (BINARY) already is;
    /// PostgreSQL's database default usually follows a locale, so ask for "C".
    /// </summary>
    internal static string? OrdinalCollation(string? providerName) => providerName switch
    {
        "Npgsql.EntityFrameworkCore.PostgreSQL" => "C",
        "Microsoft.EntityFrameworkCore.SqlServer" => "Latin1_General_BIN2",
        "Pomelo.EntityFrameworkCore.MySql" or "MySql.EntityFrameworkCore" => "utf8mb4_bin",
        _ => null,
    };

    /// <summary>Lower-cases ASCII letters only, like the contract's case-insensitive (ASCII) filter.</summary>
    internal static string AsciiLower(string value) =>
        string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsAsciiLetterUpper(source[i]) ? (char)(source[i] | 0x20) : source[i];
            }
        });

    /// <summary>Escapes LIKE wildcards (and SQL Server's character sets) so the text matches literally.</summary>
    internal static string EscapeLike(string value)
    {
        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '\\' or '%' or '_' or '[')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>
    /// Whether another token of the account already has <paramref name="row"/>'s name, or its selector or previous selector as
    /// either of its own, compared by the database (the same collation its unique indexes use). The name wins when both are taken, as the
    /// manager reports a duplicate name to the user and retries a duplicate selector.
    /// </summary>
    private async Task<ApiTokenStoreResult?> FindConflictAsync(ApiTokenEntity row, CancellationToken cancellationToken)
    {
        var (accountId, id, name, selector, previous) = (row.AccountId, row.Id, row.Name, row.Selector, row.PreviousSelector);
        var others = Tokens.AsNoTracking().Where(e => e.AccountId == accountId && e.Id != id);
        var clashing = previous is null
            ? others.Where(e => e.Name == name || e.Selector == selector || e.PreviousSelector == selector)
            : others.Where(e => e.Name == name || e.Selector == selector || e.PreviousSelector == selector
                || e.Selector == previous || e.PreviousSelector == previous);
        var sameName = await clashing
            .Select(e => e.Name == name)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return sameName.Count == 0 ? null
            : sameName.Contains(true) ? ApiTokenStoreResult.DuplicateName
            : ApiTokenStoreResult.DuplicateSelector;
    }

    private ApiTokenStoreResult? ToResult(Exception ex) =>
        UniqueKeyViolation.For(_context.Model).Classify(ex) switch
        {
            UniqueKey.Name => ApiTokenStoreResult.DuplicateName,
            UniqueKey.Selector => ApiTokenStoreResult.DuplicateSelector,
            _ => null,
        };
}
