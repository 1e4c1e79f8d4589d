using System.Collections.Concurrent;

namespace ApiTokens;

/// <summary>
/// A thread-safe, in-memory <see cref="IApiTokenAccountProvider"/> for tests and samples.
/// </summary>
/// <remarks>
/// Changing an account here does not invalidate caches by itself: call
/// <see cref="ApiTokenManager.AccountChangedAsync"/> afterwards, as a real host app would.
/// </remarks>
public sealed class InMemoryAccountProvider : IApiTokenAccountProvider
{
    private readonly ConcurrentDictionary<string, ApiTokenAccount> _byId = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Adds or replaces an account.</summary>
    public ApiTokenAccount Set(ApiTokenAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        lock (_gate)
        {
            if (_byId.Values.Any(a => a.Id != account.Id && a.UserName == account.UserName))
            {
                throw new InvalidOperationException($"The user name '{account.UserName}' is taken.");
            }

            _byId[account.Id] = account;
            return account;
        }
    }

    /// <summary>Adds an account with a new random id.</summary>
    public ApiTokenAccount Add(string userName, params string[] privileges) =>
        Set(new ApiTokenAccount(Guid.NewGuid().ToString("N"), userName, isSuspended: false, privileges));

    /// <summary>Changes an account; returns the new snapshot.</summary>
    public ApiTokenAccount Update(
        string accountId, string? userName = null, bool? isSuspended = null, IEnumerable<string>? privileges = null)
    {
        var current = _byId.TryGetValue(accountId, out var a) ? a : throw new KeyNotFoundException(accountId);
        return Set(new ApiTokenAccount(
            accountId,
            userName ?? current.UserName,
            isSuspended ?? current.IsSuspended,
            privileges ?? current.Privileges));
    }

    /// <summary>Removes an account.</summary>
    public bool Remove(string accountId) => _byId.TryRemove(accountId, out _);

    /// <inheritdoc />
    public ValueTask<ApiTokenAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken)
    {
        foreach (var account in _byId.Values)
        {
            if (string.Equals(account.UserName, userName, StringComparison.Ordinal))
            {
                return ValueTask.FromResult<ApiTokenAccount?>(account);
            }
        }

        return ValueTask.FromResult<ApiTokenAccount?>(null);
    }

    /// <inheritdoc />
    public ValueTask<ApiTokenAccount?> FindByIdAsync(string accountId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_byId.GetValueOrDefault(accountId));
}
