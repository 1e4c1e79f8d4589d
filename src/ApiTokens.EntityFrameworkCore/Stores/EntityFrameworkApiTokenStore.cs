using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ApiTokens.EntityFrameworkCore;

/// <summary>
/// An <see cref="IApiTokenStore"/> over Entity Framework Core. The database enforces the unique keys
/// (account, name) and (account, selector), so two nodes racing to create one name get exactly one
/// token; collisions come back as <see cref="ApiTokenStoreResult.DuplicateName"/> or
/// <see cref="ApiTokenStoreResult.DuplicateSelector"/>, never as exceptions. Lookups are re-checked
/// ordinally, so a case-insensitive collation cannot return another token.
/// </summary>
/// <typeparam name="TContext">A context whose model includes <c>modelBuilder.AddApiTokens()</c>.</typeparam>
/// <remarks>
/// <see cref="CreateAsync"/> calls <see cref="DbContext.SaveChangesAsync(CancellationToken)"/>, which also saves
/// any other pending change of a shared context; updates and deletes are single statements
/// (<c>ExecuteUpdate</c>/<c>ExecuteDelete</c>) that bypass the change tracker. The store never leaves a token
/// tracked. Create and update first ask the database whether the name or selector is taken, so an ordinary
/// duplicate is answered without a failed statement (which EF Core would log at Error level); the unique
/// indexes still decide a race between two writers.
/// </remarks>
public sealed class EntityFrameworkApiTokenStore<TContext> : IApiTokenStore
    where TContext : DbContext
{
    private const string LikeEscape = "\\";
    private const int LookupLimit = 4;

    private readonly TContext _context;

    /// <summary>Creates the store over <paramref name="context"/>.</summary>
    public EntityFrameworkApiTokenStore(TContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
    }

    private DbSet<ApiTokenEntity> Tokens => _context.Set<ApiTokenEntity>();

    /// <inheritdoc />
    /// <remarks>A name or selector already used by the account is found first; a race between two creates is settled by the unique keys.</remarks>
    public Task<ApiTokenStoreResult> CreateAsync(ApiToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        return CreateManyAsync([token], cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One <see cref="DbContext.SaveChangesAsync(CancellationToken)"/> for all of them, which the provider runs in one transaction
    /// (or in the context's current one): a unique-key violation or a fault on any row stores none. Each is first checked against the
    /// account's stored names and selectors, and the list against itself.
    /// </remarks>
    public async Task<ApiTokenStoreResult> CreateManyAsync(IReadOnlyList<ApiToken> tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var rows = tokens.Select(ApiTokenEntityMapper.ToEntity).ToList();
        if (rows.GroupBy(r => (r.AccountId, r.Name)).Any(g => g.Count() > 1))
        {
            return ApiTokenStoreResult.DuplicateName;
        }

        if (rows.GroupBy(r => (r.AccountId, r.Selector)).Any(g => g.Count() > 1))
        {
            return ApiTokenStoreResult.DuplicateSelector;
        }

        foreach (var row in rows)
        {
            if (await FindConflictAsync(row, cancellationToken).ConfigureAwait(false) is { } conflict)
            {
                return conflict;
            }
        }

        var entries = rows.Select(Tokens.Add).ToList();
        try
        {
            await _context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return ApiTokenStoreResult.Success;
        }
        catch (DbUpdateException ex) when (ToResult(ex) is { } duplicate)
        {
            return duplicate;
        }
        finally
        {
            entries.ForEach(e => e.State = EntityState.Detached);
        }
    }

    /// <inheritdoc />
    public async Task<ApiToken?> FindBySelectorAsync(string accountId, string selector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(selector);
        var rows = await Tokens.AsNoTracking()
            .Where(e => e.AccountId == accountId && e.Selector == selector)
            .OrderBy(e => e.Id) // a bounded read with a defined order: no EF warning 10102
            .Take(LookupLimit)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var row = rows.Find(e => string.Equals(e.AccountId, accountId, StringComparison.Ordinal)
            && string.Equals(e.Selector, selector, StringComparison.Ordinal));
        return row is null ? null : ApiTokenEntityMapper.ToToken(row);
    }

    /// <inheritdoc />
    public async Task<ApiToken?> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(name);
        var rows = await Tokens.AsNoTracking()
            .Where(e => e.AccountId == accountId && e.Name == name)
            .OrderBy(e => e.Id)
            .Take(LookupLimit)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var row = rows.Find(e => string.Equals(e.AccountId, accountId, StringComparison.Ordinal)
            && string.Equals(e.Name, name, StringComparison.Ordinal));
        return row is null ? null : ApiTokenEntityMapper.ToToken(row);
    }

    /// <inheritdoc />
    public async Task<ApiTokenPage> ListAsync(string accountId, ApiTokenQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(query);
        var matching = Tokens.AsNoTracking().Where(e => e.AccountId == accountId);
        if (!string.IsNullOrEmpty(query.NameContains))
        {
            var pattern = "%" + EscapeLike(AsciiLower(query.NameContains)) + "%";
            matching = matching.Where(e => EF.Functions.Like(e.Name.ToLower(), pattern, LikeEscape));
        }

        var total = await matching.CountAsync(cancellationToken).ConfigureAwait(false);
        var skip = Math.Max(0, query.Skip);
        var take = Math.Clamp(query.Take, 0, ApiTokenQuery.MaxTake);
        if (take == 0 || skip >= total)
        {
            return new ApiTokenPage([], total);
        }

        var collation = OrdinalCollation(_context.Database.ProviderName);
        var ordered = collation is null
            ? matching.OrderBy(e => e.Name)
            : matching.OrderBy(e => EF.Functions.Collate(e.Name, collation));
        var rows = await ordered.Skip(skip).Take(take).ToListAsync(cancellationToken).ConfigureAwait(false);
        var items = rows
            .Where(e => string.Equals(e.AccountId, accountId, StringComparison.Ordinal))
            .Select(ApiTokenEntityMapper.ToToken)
            .ToArray();
        return new ApiTokenPage(items, total);
    }

    /// <inheritdoc />
    public async Task<ApiTokenStoreResult> UpdateAsync(ApiToken token, string expectedConcurrencyStamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(expectedConcurrencyStamp);
        var row = ApiTokenEntityMapper.ToEntity(token);
        if (await FindConflictAsync(row, cancellationToken).ConfigureAwait(false) is { } conflict
            && await Tokens.AnyAsync(
                e => e.Id == row.Id && e.AccountId == row.AccountId && e.ConcurrencyStamp == expectedConcurrencyStamp,
                cancellationToken).ConfigureAwait(false))
        {
            return conflict; // otherwise the update below matches no row and says why (not found, or changed since read)
        }

        int updated;
        try
        {
            // One conditional statement: the stamp check and the write cannot be separated by another writer.
            updated = await WithSecureDeleteAsync(() => Tokens
                .Where(e => e.Id == row.Id && e.AccountId == row.AccountId && e.ConcurrencyStamp == expectedConcurrencyStamp)
                .ExecuteUpdateAsync(
                    s => s
                        .SetProperty(e => e.Name, row.Name)
                        .SetProperty(e => e.Selector, row.Selector)
                        .SetProperty(e => e.SecretHash, row.SecretHash)
                        .SetProperty(e => e.CreatedAt, row.CreatedAt)
                        .SetProperty(e => e.ExpiresAt, row.ExpiresAt)
                        .SetProperty(e => e.Acls, row.Acls)
                        .SetProperty(e => e.WhitelistIps, row.WhitelistIps)
                        .SetProperty(e => e.ConcurrencyStamp, row.ConcurrencyStamp),
                    cancellationToken), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ToResult(ex) is { } duplicate)
        {
            return duplicate;
        }

        if (updated > 0)
        {
            return ApiTokenStoreResult.Success;
        }

        var owner = await Tokens.AsNoTracking()
            .Where(e => e.Id == row.Id)
            .Select(e => e.AccountId)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return string.Equals(owner, row.AccountId, StringComparison.Ordinal)
            ? ApiTokenStoreResult.ConcurrencyFailure
            : ApiTokenStoreResult.NotFound;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string accountId, Guid tokenId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        var deleted = await WithSecureDeleteAsync(
            () => Tokens.Where(e => e.Id == tokenId && e.AccountId == accountId).ExecuteDeleteAsync(cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        return deleted > 0;
    }

    /// <inheritdoc />
    public Task<int> DeleteAllAsync(string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        return WithSecureDeleteAsync(() => Tokens.Where(e => e.AccountId == accountId).ExecuteDeleteAsync(cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One <c>EXISTS</c> over <c>substr(selector, 1, n) = @prefix</c>, which compares as the column's collation does (exactly on
    /// SQLite and PostgreSQL); it may scan the table, and runs a few times an hour per node.
    /// </remarks>
    public Task<bool> AnySelectorStartsWithAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var length = prefix.Length;
        return Tokens.AsNoTracking().AnyAsync(e => e.Selector.Substring(0, length) == prefix, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One transaction for the batch (or the context's current one), with one conditional statement per token:
    /// <c>UPDATE api_tokens SET last_used_at = @t, last_used_ip = @ip WHERE id = @id AND account_id = @a AND (last_used_at IS NULL
    /// OR last_used_at &lt; @t)</c>. It never touches <c>concurrency_stamp</c> and matches no row for a deleted token, so it never
    /// makes an update fail and never brings a token back; two nodes writing at once leave the later time. Runs through the
    /// context's execution strategy, so a retrying strategy retries the whole batch.
    /// </remarks>
    public async Task RecordUsageAsync(IReadOnlyList<ApiTokenUsage> usages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(usages);
        if (usages.Count == 0)
        {
            return;
        }

        if (_context.Database.CurrentTransaction is not null)
        {
            await WriteUsageAsync(usages, cancellationToken).ConfigureAwait(false);
            return;
        }

        await _context.Database.CreateExecutionStrategy().ExecuteAsync(
            (Store: this, Usages: usages),
            async (_, state, ct) =>
            {
                var transaction = await state.Store._context.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    await state.Store.WriteUsageAsync(state.Usages, ct).ConfigureAwait(false);
                    await transaction.CommitAsync(ct).ConfigureAwait(false);
                }

                return true;
            },
            verifySucceeded: null,
            cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteUsageAsync(IReadOnlyList<ApiTokenUsage> usages, CancellationToken cancellationToken)
    {
        // In token-id order, so two nodes writing overlapping batches lock rows in the same order and never deadlock.
        foreach (var usage in usages.OrderBy(u => u.TokenId))
        {
            var (accountId, id, at, ip) = (usage.AccountId, usage.TokenId, usage.UsedAt.ToUnixTimeSeconds(), ApiTokenEntityMapper.LastUsedIp(usage.Address));
            await Tokens
                .Where(e => e.Id == id && e.AccountId == accountId && (e.LastUsedAt == null || e.LastUsedAt < at))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.LastUsedAt, at).SetProperty(e => e.LastUsedIp, ip), cancellationToken)
                .ConfigureAwait(false);
        }
    }

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
    /// Whether another token of the account already has <paramref name="row"/>'s name or selector, compared by the
    /// database (the same collation its unique indexes use). The name wins when both are taken, as the
    /// manager reports a duplicate name to the user and retries a duplicate selector.
    /// </summary>
    private async Task<ApiTokenStoreResult?> FindConflictAsync(ApiTokenEntity row, CancellationToken cancellationToken)
    {
        var sameName = await Tokens.AsNoTracking()
            .Where(e => e.AccountId == row.AccountId && e.Id != row.Id && (e.Name == row.Name || e.Selector == row.Selector))
            .Select(e => e.Name == row.Name)
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
