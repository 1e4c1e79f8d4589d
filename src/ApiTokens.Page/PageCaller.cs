using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Page;

/// <summary>Who is using the page: the signed-in principal and, when allowed, the account it resolves to.</summary>
/// <param name="Principal">The signed-in principal, or <see langword="null"/> when nobody is signed in.</param>
/// <param name="Account">The account, when the principal resolved to one.</param>
/// <param name="ViaToken">Whether the principal came from an <c>Authorization: whm</c> header (no antiforgery needed).</param>
/// <param name="Denial">Why the caller may not manage tokens, or <see langword="null"/> when it may.</param>
internal sealed record PageCaller(ClaimsPrincipal? Principal, ApiTokenAccount? Account, bool ViaToken, string? Denial)
{
    private static readonly object ItemKey = new();

    public bool IsSignedIn => Principal is not null;

    public bool IsAllowed => Account is not null && Denial is null;

    public string? UserName => Account?.UserName;

    /// <summary>The allowed caller that the page's endpoint filter put on this request.</summary>
    public static PageCaller Of(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var value) && value is PageCaller { IsAllowed: true } caller
            ? caller
            : throw new InvalidOperationException("The page's endpoint filter did not run for this request.");

    /// <summary>Puts the allowed caller on the request for the handlers (see <see cref="Of"/>).</summary>
    public void AttachTo(HttpContext context) => context.Items[ItemKey] = this;

    /// <summary>The account of an allowed caller.</summary>
    public ApiTokenAccount AllowedAccount => Account ?? throw new InvalidOperationException("The caller has no account.");

    /// <summary>Who made a change, for the audit log.</summary>
    public ApiTokenActor Actor(HttpContext context) => new(UserName, context.Connection.RemoteIpAddress?.ToString());
}
