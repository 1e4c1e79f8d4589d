using System.Security.Claims;

namespace ApiTokens.Page;

/// <summary>Who is using the page: the signed-in principal and, when allowed, the account it resolves to.</summary>
/// <param name="Principal">The signed-in principal, or <see langword="null"/> when nobody is signed in.</param>
/// <param name="Account">The account, when the principal resolved to one.</param>
/// <param name="ViaToken">Whether the principal came from an <c>Authorization: whm</c> header (no antiforgery needed).</param>
/// <param name="Denial">Why the caller may not manage tokens, or <see langword="null"/> when it may.</param>
internal sealed record PageCaller(ClaimsPrincipal? Principal, ApiTokenAccount? Account, bool ViaToken, string? Denial)
{
    public bool IsSignedIn => Principal is not null;

    public bool IsAllowed => Account is not null && Denial is null;

    public string? UserName => Account?.UserName;
}
