using System.Globalization;

namespace ApiTokens.OpenApi;

/// <summary>Every sentence this package writes into an OpenAPI document.</summary>
internal static class OpenApiMessages
{
    public const string SchemeDescription =
        "A WHM-style API token: send the header `Authorization: whm USER:TOKEN` (the account's user name, a colon, the token). " +
        "In a tool that asks for the API key value, enter `whm USER:TOKEN`, scheme word included.";

    public const string Unauthorized = "No valid whm token (Authorization: whm USER:TOKEN), or the token is expired, revoked or used from an address it does not allow.";

    public const string Forbidden = "The token (or signed-in account) lacks a required privilege; the body's `missing_privileges` names it.";

    public static string Requires(IReadOnlyList<string> privileges) => privileges.Count == 1
        ? Format($"Requires the privilege `{privileges[0]}` (or `all`): Authorization: whm USER:TOKEN.")
        : Format($"Requires the privileges {string.Join(", ", privileges.Select(p => $"`{p}`"))} (or `all`): Authorization: whm USER:TOKEN.");

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
