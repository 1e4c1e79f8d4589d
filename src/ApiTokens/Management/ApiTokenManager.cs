using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// Creates, lists, updates and revokes API tokens with every rule of WHM's "Manage API Tokens"
/// interface, whatever the store. Validation failures come back as <see cref="ApiTokenResult{T}"/>
/// errors with user-facing messages; exceptions are for programming errors.
/// </summary>
public sealed partial class ApiTokenManager
{
    private const int SelectorAttempts = 5;

    private readonly IApiTokenStore _store;
    private readonly IApiTokenAccountProvider _accounts;
    private readonly HashGate _gate;
    private readonly ApiTokenFormat _format;
    private readonly TokenLimits _limits;
    private readonly IApiTokenChangeNotifier _notifier;
    private readonly AuditWriter _audit;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ApiTokenOptions _options;
    private readonly IApiTokenAuditStore? _auditStore;

    /// <summary>Resolved from dependency injection (scoped, as the store and the account provider may be).</summary>
    internal ApiTokenManager(
        IApiTokenStore store,
        IApiTokenAccountProvider accounts,
        HashGate gate,
        ApiTokenFormat format,
        TokenLimits limits,
        IApiTokenChangeNotifier notifier,
        AuditWriter audit,
        TimeProvider time,
        ILogger<ApiTokenManager> logger,
        IOptions<ApiTokenOptions> options,
        IApiTokenAuditStore? auditStore)
    {
        _store = store;
        _accounts = accounts;
        _gate = gate;
        _format = format;
        _limits = limits;
        _notifier = notifier;
        _audit = audit;
        _time = time;
        _logger = logger;
        _options = options.Value;
        _auditStore = auditStore;
    }

    /// <summary>
    /// Creates a token for <paramref name="accountId"/>. The plaintext is in the result and nowhere else, ever.
    /// </summary>
    public Task<ApiTokenResult<CreatedApiToken>> CreateAsync(
        string accountId, ApiTokenCreateRequest request, ApiTokenActor? actor = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(request);
        return GuardAsync(() => CreateCoreAsync(accountId, request, actor, cancellationToken), "create", cancellationToken);
    }

    private async Task<ApiTokenResult<CreatedApiToken>> CreateCoreAsync(
        string accountId, ApiTokenCreateRequest request, ApiTokenActor? actor, CancellationToken cancellationToken)
    {
        // The account's create calls per minute (ApiTokens:Policy) come first, before any store or account read: a flood of
        // creates that fail (a taken name, say) costs the store nothing past the limit.
        if (!_limits.TryStartCreate(accountId))
        {
            return ApiTokenErrors.TooManyCreates(_limits.MaxCreatesPerMinute);
        }

        var owner = await _accounts.FindByIdAsync(accountId, cancellationToken).ConfigureAwait(false);
        if (owner is null)
        {
            return ApiTokenErrors.AccountNotFound;
        }

        if (owner.IsSuspended)
        {
            return ApiTokenErrors.AccountSuspended;
        }

        if (!TokenNames.IsValid(request.Name))
        {
            return ApiTokenErrors.InvalidName(request.Name ?? string.Empty);
        }

        var now = Now();
        var expiresAt = UnixTime.Truncate(request.ExpiresAt) ?? _limits.DefaultExpiry(now);
        var limits = _limits.Check(owner, request.Acls, expiresAt, request.WhitelistIps, now);
        if (!limits.Succeeded)
        {
            return limits.Error;
        }

        var (acls, whitelist) = limits.Value;

        // A taken name is refused before any Argon2 run (a flood of creates with an existing name hashed each time); the store's
        // own check below still settles a race.
        if (await _store.FindByNameAsync(owner.Id, request.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            return ApiTokenErrors.DuplicateName(request.Name);
        }

        for (var attempt = 0; attempt < SelectorAttempts; attempt++)
        {
            var generated = _format.Generate();
            var hash = await _gate.HashAsync(generated.Secret, cancellationToken).ConfigureAwait(false);
            if (hash is null)
            {
                return ApiTokenErrors.Busy;
            }

            var token = new ApiToken
            {
                Id = Guid.CreateVersion7(now),
                AccountId = owner.Id,
                Name = request.Name,
                Selector = generated.Selector,
                SecretHash = hash,
                CreatedAt = now,
                ExpiresAt = expiresAt,
                Acls = acls,
                WhitelistIps = whitelist is { Count: 0 } ? null : whitelist,
                ConcurrencyStamp = NewStamp(),
            };

            var result = await _store.CreateAsync(token, cancellationToken).ConfigureAwait(false);
            switch (result)
            {
                case ApiTokenStoreResult.Success:
                    // Remembered negative lookups of the account ("no token with this selector") go stale on every node.
                    await _notifier.AccountChangedAsync(owner.Id, cancellationToken).ConfigureAwait(false);
                    await AuditAsync(ApiTokenAuditAction.Created, owner, token.Name, null, actor, cancellationToken).ConfigureAwait(false);
                    return ApiTokenResult<CreatedApiToken>.Success(new CreatedApiToken(token, generated.Value));
                case ApiTokenStoreResult.DuplicateName:
                    return ApiTokenErrors.DuplicateName(request.Name);
                case ApiTokenStoreResult.DuplicateSelector:
                    continue; // astronomically rare: draw a new token
                default:
                    throw new InvalidOperationException($"The store answered {result} to a create.");
            }
        }

        throw new InvalidOperationException("Could not draw a unique token selector.");
    }

    /// <summary>Gets one token of an account by name, or <see langword="null"/>.</summary>
    /// <exception cref="ApiTokenStoreUnavailableException">The store cannot be reached.</exception>
    public Task<ApiToken?> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(name);
        return GuardReadAsync(() => _store.FindByNameAsync(accountId, name, cancellationToken), "find", cancellationToken);
    }

    /// <summary>
    /// Finds the token a plaintext value belongs to, among <paramref name="accountId"/>'s tokens
    /// (<c>api_token_get_details</c>). Runs one hash verification; <see langword="null"/> when unknown.
    /// </summary>
    /// <exception cref="ApiTokenStoreUnavailableException">The store cannot be reached.</exception>
    public Task<ApiToken?> FindByPlaintextAsync(string accountId, string plaintext, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        return GuardReadAsync(() => FindByPlaintextCoreAsync(accountId, plaintext, cancellationToken), "find", cancellationToken);
    }

    private async Task<ApiToken?> FindByPlaintextCoreAsync(string accountId, string plaintext, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(plaintext) || !_format.TryParse(plaintext, out var selector, out _))
        {
            return null;
        }

        var selectorText = selector.ToString();
        var token = await _store.FindBySelectorAsync(accountId, selectorText, cancellationToken).ConfigureAwait(false);
        if (token is null || !string.Equals(token.AccountId, accountId, StringComparison.Ordinal))
        {
            return null;
        }

        if (string.Equals(token.Selector, selectorText, StringComparison.Ordinal))
        {
            return await VerifyWithinLimitsAsync(accountId, token.Selector, token.SecretHash, plaintext, cancellationToken).ConfigureAwait(false) ? token : null;
        }

        // A rotated token's previous value, while it still authenticates: the same token, proven against its own hash under its
        // own selector's wrong-secret window (as the verifier does).
        return string.Equals(token.PreviousSelector, selectorText, StringComparison.Ordinal) && token.IsPreviousValueLiveAt(Now())
            && await VerifyWithinLimitsAsync(accountId, selectorText, token.PreviousSecretHash!, plaintext, cancellationToken).ConfigureAwait(false)
            ? token
            : null;
    }

    /// <summary>
    /// One Argon2 check of a presented token, through the same gate as authentication: at most <c>MaxConcurrentHashes</c> at
    /// once and <c>MaxFailuresPerSelector</c> wrong secrets per window, so this call cannot be used to keep every core busy.
    /// </summary>
    private async Task<bool> VerifyWithinLimitsAsync(string accountId, string selector, string hash, string plaintext, CancellationToken cancellationToken)
    {
        if (!_format.TryParse(plaintext, out _, out var secret))
        {
            return false;
        }

        var verdict = await _gate.VerifyAsync(accountId, selector, hash, secret.ToString(), cancellationToken).ConfigureAwait(false);
        return verdict is GateVerdict.Success or GateVerdict.SuccessRehashNeeded;
    }

    /// <summary>Lists an account's tokens, ordered by name, filtered by a case-insensitive name substring.</summary>
    /// <exception cref="ApiTokenStoreUnavailableException">The store cannot be reached.</exception>
    public Task<ApiTokenPage> ListAsync(string accountId, ApiTokenQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        return GuardReadAsync(() => _store.ListAsync(accountId, query ?? ApiTokenQuery.All, cancellationToken), "list", cancellationToken);
    }

    /// <summary>
    /// Renames a token and/or changes its privileges, expiry or whitelist. Omitted fields stay as they are.
    /// </summary>
    public Task<ApiTokenResult<ApiToken>> UpdateAsync(
        string accountId, string name, ApiTokenUpdateRequest request, ApiTokenActor? actor = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(request);
        return GuardAsync(() => UpdateCoreAsync(accountId, name ?? string.Empty, request, actor, cancellationToken), "update", cancellationToken);
    }

    private async Task<ApiTokenResult<ApiToken>> UpdateCoreAsync(
        string accountId, string name, ApiTokenUpdateRequest request, ApiTokenActor? actor, CancellationToken cancellationToken)
    {
        if (!request.HasChanges)
        {
            return ApiTokenErrors.NothingToUpdate;
        }

        var owner = await _accounts.FindByIdAsync(accountId, cancellationToken).ConfigureAwait(false);
        if (owner is null)
        {
            return ApiTokenErrors.AccountNotFound;
        }

        if (request.NewName is not null && !TokenNames.IsValid(request.NewName))
        {
            return ApiTokenErrors.InvalidName(request.NewName);
        }

        if (request.GrantFullAccess && request.Acls is not null)
        {
            throw new ArgumentException("Set either Acls or GrantFullAccess, not both.", nameof(request));
        }

        if (request.ClearExpiry && request.ExpiresAt is not null)
        {
            throw new ArgumentException("Set either ExpiresAt or ClearExpiry, not both.", nameof(request));
        }

        var now = Now();
        var limits = _limits.Check(owner, request.Acls, request.ExpiresAt, request.WhitelistIps, now, request.ClearExpiry);
        if (!limits.Succeeded)
        {
            return limits.Error;
        }

        var (acls, whitelist) = limits.Value;

        var current = await _store.FindByNameAsync(owner.Id, name, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return ApiTokenErrors.TokenNotFound(name);
        }

        var updated = current with
        {
            Name = request.NewName ?? current.Name,
            Acls = request.GrantFullAccess ? null : acls ?? current.Acls,
            ExpiresAt = request.ClearExpiry ? null : UnixTime.Truncate(request.ExpiresAt) ?? current.ExpiresAt,
            WhitelistIps = whitelist is null ? current.WhitelistIps : whitelist.Count == 0 ? null : whitelist,
            ConcurrencyStamp = NewStamp(),
        };

        var result = await _store.UpdateAsync(updated, current.ConcurrencyStamp, cancellationToken).ConfigureAwait(false);
        switch (result)
        {
            case ApiTokenStoreResult.Success:
                await _notifier.AccountChangedAsync(owner.Id, cancellationToken).ConfigureAwait(false);
                await _audit.WriteAsync(
                    ApiTokenAuditAction.Updated, owner, owner.Id, current.Name, updated.Name != current.Name ? updated.Name : null, actor,
                    cancellationToken, ChangedFields(current, updated)).ConfigureAwait(false);
                return ApiTokenResult<ApiToken>.Success(updated);
            case ApiTokenStoreResult.DuplicateName:
                return ApiTokenErrors.DuplicateName(updated.Name);
            case ApiTokenStoreResult.NotFound:
                return ApiTokenErrors.TokenNotFound(name);
            case ApiTokenStoreResult.ConcurrencyFailure:
                return ApiTokenErrors.ConcurrencyFailure(name);
            default:
                throw new InvalidOperationException($"The store answered {result} to an update.");
        }
    }

    /// <summary>
    /// Tell the library that an account changed (suspended, unsuspended, renamed, privileges changed):
    /// cached state is dropped here and, with a backplane, on every node, so the next request sees it.
    /// </summary>
    public ValueTask AccountChangedAsync(string accountId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        return _notifier.AccountChangedAsync(accountId, cancellationToken);
    }

    /// <summary>
    /// Tell the library that an account was deleted: every token of it is revoked and cached state dropped.
    /// A new account that later takes the same user name gets none of them (tokens are keyed by account id).
    /// </summary>
    public async Task<ApiTokenResult<int>> AccountDeletedAsync(
        string accountId, ApiTokenActor? actor = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        return await RevokeAllAsync(accountId, actor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks a privilege list against the catalogue and the owner: every name known and held by the
    /// owner (or the owner holds <c>all</c>). Returns it de-duplicated and sorted.
    /// </summary>
    public ApiTokenResult<IReadOnlyList<string>> ValidateAcls(ApiTokenAccount owner, IEnumerable<string> acls) => _limits.ValidateAcls(owner, acls);

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    /// <summary>The fields an update changed, by their WHM names, for the audit trail (never their values).</summary>
    private static string[] ChangedFields(ApiToken before, ApiToken after)
    {
        var changed = new List<string>(4);
        if (!string.Equals(before.Name, after.Name, StringComparison.Ordinal))
        {
            changed.Add("name");
        }

        if (!SameList(before.Acls, after.Acls))
        {
            changed.Add("acls");
        }

        if (before.ExpiresAt != after.ExpiresAt)
        {
            changed.Add("expires_at");
        }

        if (!SameList(before.WhitelistIps, after.WhitelistIps))
        {
            changed.Add("whitelist_ips");
        }

        return [.. changed];

        static bool SameList(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
            a is null ? b is null : b is not null && a.SequenceEqual(b, StringComparer.Ordinal);
    }

    private Task<ApiTokenResult<T>> GuardAsync<T>(Func<Task<ApiTokenResult<T>>> body, string operation, CancellationToken cancellationToken) =>
        TraceAsync(() => StoreGuard.WriteAsync(body, operation, _logger, cancellationToken), operation);

    private Task<T> GuardReadAsync<T>(Func<Task<T>> body, string operation, CancellationToken cancellationToken) =>
        StoreGuard.ReadAsync(body, operation, _logger, cancellationToken);

    private DateTimeOffset Now() => UnixTime.Now(_time);

    private Task AuditAsync(
        ApiTokenAuditAction action, ApiTokenAccount owner, string tokenName, string? newName, ApiTokenActor? actor, CancellationToken cancellationToken) =>
        _audit.WriteAsync(action, owner, owner.Id, tokenName, newName, actor, cancellationToken);

    private Task AuditAsync(
        ApiTokenAuditAction action, ApiTokenAccount? owner, string accountId, string? tokenName, string? newName, ApiTokenActor? actor, CancellationToken cancellationToken) =>
        _audit.WriteAsync(action, owner, accountId, tokenName, newName, actor, cancellationToken);
}
