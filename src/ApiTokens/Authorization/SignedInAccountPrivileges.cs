using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApiTokens.Authorization;

/// <summary>
/// Finds the account of a user signed in by the host's own scheme, once per request: the user name comes from
/// <see cref="PrivilegeAuthorizationOptions"/> (default: the <see cref="ClaimTypes.Name"/> claim of the first authenticated
/// identity that is not a token's), the account from the request's <see cref="IApiTokenAccountProvider"/> (it may be
/// scoped). A suspended or unknown account holds nothing; a provider fault fails closed and is logged once. On an unsafe
/// method (anything but GET, HEAD, OPTIONS and TRACE) the request must also carry a valid antiforgery token
/// (<see cref="PrivilegeAuthorizationOptions.RequireAntiforgeryForSignedInUsers"/>), or the user holds nothing: a cookie is
/// sent by the browser on cross-site requests too. The verdict is cached with the account.
/// </summary>
internal sealed class SignedInAccountPrivileges
{
    private static readonly object ItemKey = new();
    private static readonly object NoAccount = new();
    private static readonly object NoAntiforgery = new();

    private readonly PrivilegeSchemes _schemes;
    private readonly IOptionsMonitor<PrivilegeAuthorizationOptions> _options;
    private readonly ILogger _logger;

    public SignedInAccountPrivileges(PrivilegeSchemes schemes, IOptionsMonitor<PrivilegeAuthorizationOptions> options, ILogger<SignedInAccountPrivileges> logger)
    {
        _schemes = schemes ?? throw new ArgumentNullException(nameof(schemes));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Whether this request's signed-in user was refused their account's privileges for want of an antiforgery token.</summary>
    public static bool RefusedForAntiforgery(HttpContext http) =>
        http.Items.TryGetValue(ItemKey, out var cached) && ReferenceEquals(cached, NoAntiforgery);

    /// <summary>
    /// The signed-in user's active account, or <see langword="null"/> (none, suspended, the lookup failed, or an unsafe
    /// request without a valid antiforgery token).
    /// </summary>
    public async ValueTask<ApiTokenAccount?> FindAsync(HttpContext http, ClaimsPrincipal user)
    {
        if (http.Items.TryGetValue(ItemKey, out var cached))
        {
            return cached as ApiTokenAccount;
        }

        var found = await LookUpAsync(http, user).ConfigureAwait(false);
        http.Items[ItemKey] = found ?? NoAccount;
        return found as ApiTokenAccount;
    }

    /// <summary>The account, <see cref="NoAntiforgery"/>, or <see langword="null"/>.</summary>
    private async ValueTask<object?> LookUpAsync(HttpContext http, ClaimsPrincipal user)
    {
        var options = _options.CurrentValue;
        if (!options.SignedInUsersHoldAccountPrivileges)
        {
            return null;
        }

        var provider = http.RequestServices?.GetService<IApiTokenAccountProvider>();
        string? userName = null;
        try
        {
            userName = options.UserNameSelector is { } select ? select(user) : FindUserName(user, options.UserNameClaimType);
            if (provider is null || string.IsNullOrEmpty(userName))
            {
                return null;
            }

            if (options.RequireAntiforgeryForSignedInUsers && IsUnsafe(http.Request.Method) && !await HasValidAntiforgeryTokenAsync(http).ConfigureAwait(false))
            {
                Log.NoAntiforgeryToken(_logger, userName, http.Request.Method);
                return NoAntiforgery;
            }

            var account = await provider.FindByUserNameAsync(userName, http.RequestAborted).ConfigureAwait(false);
            if (account is null || account.IsSuspended)
            {
                Log.NoActiveAccount(_logger, userName);
                return null;
            }

            return account;
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any fault of the host's provider (or selector) fails closed: no privilege, never a 500.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.AccountLookupFailed(_logger, ex, userName ?? "-");
            return null;
        }
    }

    /// <summary>Whether <paramref name="method"/> may change state (anything but GET, HEAD, OPTIONS, TRACE): antiforgery applies.</summary>
    internal static bool IsUnsafe(string method) =>
        !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method) && !HttpMethods.IsTrace(method);

    private static async ValueTask<bool> HasValidAntiforgeryTokenAsync(HttpContext http)
    {
        if (http.RequestServices?.GetService<IAntiforgery>() is not { } antiforgery)
        {
            return false;
        }

        try
        {
            return await antiforgery.IsRequestValidAsync(http).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A form that cannot be read carries no valid token: the user holds nothing, never a 500.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private string? FindUserName(ClaimsPrincipal user, string claimType)
    {
        foreach (var identity in user.Identities)
        {
            if (identity.IsAuthenticated && !_schemes.IsTokenIdentity(identity) && identity.FindFirst(claimType) is { } claim)
            {
                return claim.Value;
            }
        }

        return null;
    }
}
