
namespace ApiTokens;

/// <summary>
/// A thread-safe in-memory store for tests and samples. It enforces the same unique keys a database
/// would: (account, name) and (account, selector), both exact.
/// </summary>
public sealed class InMemoryApiTokenStore : IApiTokenStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, ApiToken> _byId = [];
    private readonly Dictionary<(string AccountId, string Selector), ApiToken> _bySelector = [];
    private readonly Dictionary<(string AccountId, string Name), ApiToken> _byName = [];

    /// <summary>How many tokens are stored.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byId.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task<ApiTokenStoreResult> CreateAsync(ApiToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_byName.ContainsKey((token.AccountId, token.Name)))
            {
                return Task.FromResult(ApiTokenStoreResult.DuplicateName);
            }

            if (_bySelector.ContainsKey((token.AccountId, token.Selector)))
            {
                return Task.FromResult(ApiTokenStoreResult.DuplicateSelector);
            }

            if (!_byId.TryAdd(token.Id, token))
            {
                throw new InvalidOperationException($"A token with id {token.Id} already exists.");
            }

            Put(token);
            return Task.FromResult(ApiTokenStoreResult.Success);
        }
    }

    /// <inheritdoc />
    /// <remarks>All or nothing under the store's lock: every name and selector is checked (against the store and the list)
    /// before the first token is added.</remarks>
    public Task<ApiTokenStoreResult> CreateManyAsync(IReadOnlyList<ApiToken> tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var names = new HashSet<(string, string)>();
            var selectors = new HashSet<(string, string)>();
            var ids = new HashSet<Guid>();
            foreach (var token in tokens)
            {
                ArgumentNullException.ThrowIfNull(token);
                if (_byName.ContainsKey((token.AccountId, token.Name)) || !names.Add((token.AccountId, token.Name)))
                {
                    return Task.FromResult(ApiTokenStoreResult.DuplicateName);
                }

                if (_bySelector.ContainsKey((token.AccountId, token.Selector)) || !selectors.Add((token.AccountId, token.Selector)))
                {
                    return Task.FromResult(ApiTokenStoreResult.DuplicateSelector);
                }

                if (_byId.ContainsKey(token.Id) || !ids.Add(token.Id))
                {
                    throw new InvalidOperationException($"A token with id {token.Id} already exists.");
                }
            }

            foreach (var token in tokens)
            {
                Put(token);
            }

            return Task.FromResult(ApiTokenStoreResult.Success);
        }
    }

    /// <inheritdoc />
    public Task<ApiToken?> FindBySelectorAsync(string accountId, string selector, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_bySelector.GetValueOrDefault((accountId, selector)));
        }
    }

    /// <inheritdoc />
    public Task<ApiToken?> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_byName.GetValueOrDefault((accountId, name)));
        }
    }

    /// <inheritdoc />
    public Task<ApiTokenPage> ListAsync(string accountId, ApiTokenQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        List<ApiToken> matching;
        lock (_gate)
        {
            matching = _byId.Values
                .Where(t => t.AccountId == accountId)
                .Where(t => string.IsNullOrEmpty(query.NameContains)
                    || t.Name.Contains(query.NameContains, StringComparison.OrdinalIgnoreCase))
                .OrderBy(t => t.Name, StringComparer.Ordinal)
                .ToList();
        }

        var take = Math.Clamp(query.Take, 0, ApiTokenQuery.MaxTake);
        var items = matching.Skip(Math.Max(0, query.Skip)).Take(take).ToArray();
        return Task.FromResult(new ApiTokenPage(items, matching.Count));
    }

    /// <inheritdoc />
    public Task<ApiTokenStoreResult> UpdateAsync(ApiToken token, string expectedConcurrencyStamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byId.TryGetValue(token.Id, out var current) || current.AccountId != token.AccountId)
            {
                return Task.FromResult(ApiTokenStoreResult.NotFound);
            }

            if (current.ConcurrencyStamp != expectedConcurrencyStamp)
            {
                return Task.FromResult(ApiTokenStoreResult.ConcurrencyFailure);
            }

            if (current.Name != token.Name && _byName.ContainsKey((token.AccountId, token.Name)))
            {
                return Task.FromResult(ApiTokenStoreResult.DuplicateName);
            }

            if (SelectorTakenByOther(token.AccountId, token.Selector, token.Id)
                || (token.PreviousSelector is { } previous && SelectorTakenByOther(token.AccountId, previous, token.Id)))
            {
                return Task.FromResult(ApiTokenStoreResult.DuplicateSelector);
            }

            Remove(current);
            Put(token with { LastUsedAt = current.LastUsedAt, LastUsedIp = current.LastUsedIp, ExpiryWarnedFor = current.ExpiryWarnedFor });
            return Task.FromResult(ApiTokenStoreResult.Success);
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string accountId, Guid tokenId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byId.TryGetValue(tokenId, out var current) || current.AccountId != accountId)
            {
                return Task.FromResult(false);
            }

            Remove(current);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<int> DeleteAllAsync(string accountId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var doomed = _byId.Values.Where(t => t.AccountId == accountId).ToList();
            doomed.ForEach(Remove);
            return Task.FromResult(doomed.Count);
        }
    }

    /// <inheritdoc />
    public Task<bool> AnySelectorStartsWithAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_bySelector.Keys.Any(k => k.Selector.StartsWith(prefix, StringComparison.Ordinal)));
        }
    }

    /// <inheritdoc />
    /// <remarks>The whole batch under the store's lock; an entry for a deleted token, or one no later than the stored time, changes nothing.</remarks>
    public Task RecordUsageAsync(IReadOnlyList<ApiTokenUsage> usages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(usages);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var usage in usages)
            {
                if (_byId.TryGetValue(usage.TokenId, out var current)
                    && current.AccountId == usage.AccountId
                    && (current.LastUsedAt is null || current.LastUsedAt < usage.UsedAt))
                {
                    Put(current with { LastUsedAt = usage.UsedAt, LastUsedIp = usage.Address });
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiToken>> FindAllBySelectorAsync(string selector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<ApiToken> found = _byId.Values.Where(t => t.Selector == selector || t.PreviousSelector == selector).ToArray();
            return Task.FromResult(found);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiToken>> ListExpiringAsync(DateTimeOffset after, DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<ApiToken> found = _byId.Values
                .Where(t => t.ExpiresAt is { } e && e > after && e <= until && t.ExpiryWarnedFor != e)
                .OrderBy(t => t.ExpiresAt).ThenBy(t => t.Id)
                .Take(Math.Max(0, limit))
                .ToArray();
            return Task.FromResult(found);
        }
    }

    /// <inheritdoc />
    public Task<bool> TryMarkExpiryWarnedAsync(string accountId, Guid tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byId.TryGetValue(tokenId, out var current) || current.AccountId != accountId
                || current.ExpiresAt != expiresAt || current.ExpiryWarnedFor == expiresAt)
            {
                return Task.FromResult(false);
            }

            Put(current with { ExpiryWarnedFor = expiresAt });
            return Task.FromResult(true);
        }
    }

    private bool SelectorTakenByOther(string accountId, string selector, Guid tokenId) =>
        _bySelector.TryGetValue((accountId, selector), out var holder) && holder.Id != tokenId;

    // The selector index holds every token under its selector and, while it has one, its previous selector: both are unique
    // per account, so a lookup by either finds exactly one token.
    private void Put(ApiToken token)
    {
        _byId[token.Id] = token;
        _byName[(token.AccountId, token.Name)] = token;
        _bySelector[(token.AccountId, token.Selector)] = token;
        if (token.PreviousSelector is { } previous)
        {
            _bySelector[(token.AccountId, previous)] = token;
        }
    }

    private void Remove(ApiToken token)
    {
        _byId.Remove(token.Id);
        _byName.Remove((token.AccountId, token.Name));
        _bySelector.Remove((token.AccountId, token.Selector));
        if (token.PreviousSelector is { } previous)
        {
            _bySelector.Remove((token.AccountId, previous));
        }
    }
}
