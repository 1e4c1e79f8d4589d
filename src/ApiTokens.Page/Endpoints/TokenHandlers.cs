using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ApiTokens.Page;

/// <summary>
/// The JSON endpoints under <c>{prefix}/api/tokens</c> (list, create, update, rotate, revoke) and <c>{prefix}/api/revoke-all</c>. <see cref="PageCallerFilter"/> has
/// already let the caller in (and checked antiforgery); each handler reads the body, asks <see cref="ApiTokenManager"/>, which holds
/// every rule and message, and answers with <see cref="PageJson"/>.
/// </summary>
internal static class TokenHandlers
{
    public static async Task<IResult> ListAsync(HttpContext context, ApiTokenManager manager, TimeProvider time, IOptions<ApiTokenOptions> options)
    {
        var page = await manager.ListAsync(PageCaller.Of(context).AllowedAccount.Id, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var window = Window(time, options);
        var view = new TokenListView(window.Now.ToUnixTimeSeconds(), page.Items.Select(t => TokenView.From(t, window)).ToArray(), page.TotalCount);
        return PageJson.Result(StatusCodes.Status200OK, view, PageJsonContext.Default.TokenListView);
    }

    public static async Task<IResult> CreateAsync(HttpContext context, ApiTokenManager manager, TimeProvider time, IOptions<ApiTokenOptions> options)
    {
        var (body, failure) = await PageJson.ReadAsync(context, PageJsonContext.Default.CreateTokenBody).ConfigureAwait(false);
        if (body is null)
        {
            return failure!;
        }

        if (!UnixTime.TryFromSeconds(body.ExpiresAt, out var expiresAt))
        {
            return PageJson.Error(ApiTokenErrors.ExpiryNotInFuture);
        }

        var caller = PageCaller.Of(context);
        var request = new ApiTokenCreateRequest { Name = body.Name ?? string.Empty, Acls = body.Acls, ExpiresAt = expiresAt, WhitelistIps = body.WhitelistIps };
        var result = await manager.CreateAsync(caller.AllowedAccount.Id, request, caller.Actor(context), context.RequestAborted).ConfigureAwait(false);
        return result.Succeeded
            ? PageJson.Result(
                StatusCodes.Status201Created,
                new CreatedTokenView(TokenView.From(result.Value.Token, Window(time, options)), result.Value.PlaintextToken),
                PageJsonContext.Default.CreatedTokenView)
            : PageJson.Error(result.Error);
    }

    public static async Task<IResult> UpdateAsync(
        HttpContext context, string name, ApiTokenManager manager, TimeProvider time, IOptions<ApiTokenOptions> options)
    {
        var (body, failure) = await PageJson.ReadAsync(context, PageJsonContext.Default.UpdateTokenBody).ConfigureAwait(false);
        if (body is null)
        {
            return failure!;
        }

        if (!UnixTime.TryFromSeconds(body.ExpiresAt, out var expiresAt))
        {
            return PageJson.Error(ApiTokenErrors.ExpiryNotInFuture);
        }

        if (body.GrantFullAccess && body.Acls is not null)
        {
            return PageJson.Error(StatusCodes.Status400BadRequest, "full_access_with_acls", PageMessages.FullAccessWithAcls);
        }

        var caller = PageCaller.Of(context);
        var request = new ApiTokenUpdateRequest
        {
            NewName = body.NewName,
            Acls = body.Acls,
            GrantFullAccess = body.GrantFullAccess,
            ExpiresAt = body.ClearExpiry ? null : expiresAt,
            ClearExpiry = body.ClearExpiry,
            WhitelistIps = body.WhitelistIps,
        };
        var result = await manager.UpdateAsync(caller.AllowedAccount.Id, name, request, caller.Actor(context), context.RequestAborted).ConfigureAwait(false);
        return result.Succeeded
            ? PageJson.Result(StatusCodes.Status200OK, TokenView.From(result.Value, Window(time, options)), PageJsonContext.Default.TokenView)
            : PageJson.Error(result.Error);
    }

    /// <summary>
    /// "Regenerate": a new value for the token <paramref name="name"/>, shown once, with the old value working for the body's
    /// <c>grace_period</c> seconds (no body, or 0: it stops at once; at most <c>ApiTokens:Rotation:MaxGracePeriod</c>).
    /// </summary>
    public static async Task<IResult> RotateAsync(
        HttpContext context, string name, ApiTokenManager manager, TimeProvider time, IOptions<ApiTokenOptions> options)
    {
        long? graceSeconds = null;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false)
        {
            var (body, failure) = await PageJson.ReadAsync(context, PageJsonContext.Default.RotateTokenBody).ConfigureAwait(false);
            if (body is null)
            {
                return failure!;
            }

            graceSeconds = body.GracePeriod;
        }

        // Checked here only so that a huge number cannot overflow TimeSpan; the manager holds the rule and its message.
        var maxGrace = options.Value.Rotation.MaxGracePeriod;
        if (graceSeconds is < 0 || graceSeconds > (long)maxGrace.TotalSeconds)
        {
            return PageJson.Error(ApiTokenErrors.InvalidGracePeriod(maxGrace));
        }

        var caller = PageCaller.Of(context);
        var result = await manager.RotateAsync(
            caller.AllowedAccount.Id, name, TimeSpan.FromSeconds(graceSeconds ?? 0), caller.Actor(context), context.RequestAborted).ConfigureAwait(false);
        return result.Succeeded
            ? PageJson.Result(
                StatusCodes.Status200OK,
                new RotatedTokenView(
                    TokenView.From(result.Value.Token, Window(time, options)), result.Value.PlaintextToken, result.Value.PreviousTokenExpiresAt.ToUnixTimeSeconds()),
                PageJsonContext.Default.RotatedTokenView)
            : PageJson.Error(result.Error);
    }

    public static async Task<IResult> RevokeAsync(HttpContext context, string name, ApiTokenManager manager)
    {
        var caller = PageCaller.Of(context);
        var result = await manager.RevokeAsync(caller.AllowedAccount.Id, [name], caller.Actor(context), context.RequestAborted).ConfigureAwait(false);
        return !result.Succeeded ? PageJson.Error(result.Error)
            : result.Value.Count == 0 ? PageJson.Error(ApiTokenErrors.TokenNotFound(name))
            : PageJson.Result(StatusCodes.Status200OK, new RevokedView(result.Value, result.Value.Count), PageJsonContext.Default.RevokedView);
    }

    public static async Task<IResult> RevokeAllAsync(HttpContext context, ApiTokenManager manager)
    {
        var caller = PageCaller.Of(context);
        var result = await manager.RevokeAllAsync(caller.AllowedAccount.Id, caller.Actor(context), context.RequestAborted).ConfigureAwait(false);
        return result.Succeeded
            ? PageJson.Result(StatusCodes.Status200OK, new RevokedView([], result.Value), PageJsonContext.Default.RevokedView)
            : PageJson.Error(result.Error);
    }

    private static ExpiryWarningWindow Window(TimeProvider time, IOptions<ApiTokenOptions> options) =>
        new(DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds()), options.Value.Policy.ExpiryWarning);
}
