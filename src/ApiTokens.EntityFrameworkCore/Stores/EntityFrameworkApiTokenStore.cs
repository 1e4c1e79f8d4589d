using Microsoft.EntityFrameworkCore;

namespace ApiTokens.EntityFrameworkCore;

/// <summary>
/// An <see cref="IApiTokenStore"/> over Entity Framework Core. The database enforces the unique keys
/// (account, name), (account, selector) and (account, previous selector), so two nodes racing to create one name get exactly one
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
/// <para>
/// That first query also refuses a selector that another token of the account holds as its previous selector (and the other way
/// round), which no index can enforce across two columns. Only two writers racing to store the same random selector in the two
/// columns of two tokens, at the same moment, could pass it: with the default 8-character selector (41 random bits) that is
/// astronomically rare, and the manager retries the <see cref="ApiTokenStoreResult.DuplicateSelector"/> it is told about.
/// </para>
/// <para>
/// The class is split by concern: the core calls here, <c>.Usage.cs</c> (last use), <c>.Lifecycle.cs</c> (leaks, expiry
/// warnings) and <c>.Sql.cs</c> (the helpers they share).
/// </para>
/// </remarks>
public sealed partial class EntityFrameworkApiTokenStore<TContext> : IApiTokenStore
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

        var selectors = rows.SelectMany(r => new[] { r.Selector, r.PreviousSelector }.OfType<string>().Distinct().Select(s => (r.AccountId, s)));
        if (selectors.GroupBy(s => s).Any(g => g.Count() > 1))
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
    /// <remarks>
    /// One round trip (the verify lookup on a cache miss): <c>UNION ALL</c> of the row whose (account_id, selector) matches and the
    /// row whose (previous_selector, account_id) matches, each an index seek. The current selector wins over a previous one.
    /// </remarks>
    public async Task<ApiToken?> FindBySelectorAsync(string accountId, string selector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(selector);
        var bySelector = Tokens.AsNoTracking().Where(e => e.AccountId == accountId && e.Selector == selector);
        var byPrevious = Tokens.AsNoTracking().Where(e => e.PreviousSelector == selector && e.AccountId == accountId);
        var rows = await bySelector.Concat(byPrevious)
            .OrderBy(e => e.Id) // a bounded read with a defined order: no EF warning 10102
            .Take(LookupLimit)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var row = rows.Find(e => string.Equals(e.AccountId, accountId, StringComparison.Ordinal)
                && string.Equals(e.Selector, selector, StringComparison.Ordinal))
            ?? rows.Find(e => string.Equals(e.AccountId, accountId, StringComparison.Ordinal)
                && string.Equals(e.PreviousSelector, selector, StringComparison.Ordinal));
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
    /// <remarks>
    /// One conditional <c>UPDATE</c> of every column but <c>last_used_*</c> and <c>expiry_warned_for</c>, after one indexed query
    /// for a name or selector (current or previous) that another token of the account holds.
    /// </remarks>
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
                        .SetProperty(e => e.PreviousSelector, row.PreviousSelector)
                        .SetProperty(e => e.PreviousSecretHash, row.PreviousSecretHash)
                        .SetProperty(e => e.PreviousExpiresAt, row.PreviousExpiresAt)
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
    /// One <c>EXISTS</c> over <c>substr(selector, 1, n) = @prefix</c> (or the same of <c>previous_selector</c>, as the in-memory
    /// store finds a token by either), which compares as the column's collation does (exactly on SQLite and PostgreSQL); it may scan
    /// the table, and runs a few times an hour per node.
    /// </remarks>
    public Task<bool> AnySelectorStartsWithAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var length = prefix.Length;
        return Tokens.AsNoTracking().AnyAsync(
            e => e.Selector.Substring(0, length) == prefix || (e.PreviousSelector != null && e.PreviousSelector.Substring(0, length) == prefix),
            cancellationToken);
    }
}
