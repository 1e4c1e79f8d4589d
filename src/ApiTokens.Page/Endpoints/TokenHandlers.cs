using Microsoft.AspNetCore.Http;

namespace ApiTokens.Page;

/// <summary>
/// The JSON endpoints under <c>{prefix}/api/tokens</c> and <c>{prefix}/api/revoke-all</c>. <see cref="PageCallerFilter"/> has
/// already let the caller in (and checked antiforgery); each handler reads the body, asks <see cref="ApiTokenManager"/>, which holds
/// every rule and message, and answers with <see cref="PageJson"/>.
/// </summary>
internal static class TokenHandlers
{
    public static async Task<IResult> ListAsync(HttpContext context, ApiTokenManager manager, TimeProvider time)
    {
        var page = await manager.ListAsync(PageCaller.Of(context).AllowedAccount.Id, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var view = new TokenListView(time.GetUtcNow().ToUnixTimeSeconds(), page.Items.Select(TokenView.From).ToArray(), page.TotalCount);
        return PageJson.Result(StatusCodes.Status200OK, view, PageJsonContext.Default.TokenListView);
    }

    public static async Task<IResult> CreateAsync(HttpContext context, ApiTokenManager manager)
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
                new CreatedTokenView(TokenView.From(result.Value.Token), result.Value.PlaintextToken),
                PageJsonContext.Default.CreatedTokenView)
            : PageJson.Error(result.Error);
    }

    public static async Task<IResult> UpdateAsync(HttpContext context, string name, ApiTokenManager manager)
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
            ? PageJson.Result(StatusCodes.Status200OK, TokenView.From(result.Value), PageJsonContext.Default.TokenView)
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
}
