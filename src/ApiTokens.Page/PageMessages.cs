using System.Globalization;

namespace ApiTokens.Page;

/// <summary>
/// Every sentence this package shows to a person (page users, scripts calling its JSON endpoints, developers at start-up), written
/// once. Each says what to do next. The token rules' own messages come from <see cref="ApiTokenErrors"/> in the core; the page's
/// HTML and script carry the words of the page itself.
/// </summary>
internal static class PageMessages
{
    // The page's heading (the default of ApiTokensPageOptions.Title), as WHM's table.
    public const string DefaultTitle = "API Tokens";

    public const string PreviousValueCannotManage =
        "This request used the old value of a regenerated API token. The old value cannot create, change, regenerate or revoke API tokens: use the new value.";

    // Who may use the page (the "not allowed" page and 403 bodies).
    public const string NoUserName = "Your sign-in does not say who you are (it has no user name), so no account can be found. Sign in again.";

    public static string NoAccount(string userName) =>
        Format($"The user “{Messages.Shorten(userName)}” has no account that can own API tokens. Ask your administrator for one.");

    public static string AccountSuspended(string userName) =>
        Format($"The account “{Messages.Shorten(userName)}” is suspended. Ask your administrator to unsuspend it.");

    public static string AccountLacksPrivilege(string userName) => Format(
        $"The account “{Messages.Shorten(userName)}” does not have the Manage API Tokens privilege ({WhmPrivileges.ManageApiTokens}). Ask your administrator to grant it.");

    public const string TokenLacksPrivilege =
        "This API token does not have the Manage API Tokens privilege (" + WhmPrivileges.ManageApiTokens + "). Use a token that has it.";

    // The JSON endpoints' own errors.
    public const string NotSignedIn = "You are not signed in. Sign in again, then reload the page.";

    public const string Antiforgery = "This page's security token is missing or has expired. Reload the page and try again.";

    public const string UnsupportedMediaType = "Send the request body as JSON (Content-Type: application/json).";

    public const string UnreadableBody = "The request body could not be read. Send a smaller JSON body.";

    public const string InvalidJson = "The request body is not valid JSON for this call.";

    public const string FullAccessWithAcls =
        "Send either grant_full_access or acls, not both: full access already means every privilege the account has.";

    // "Regenerate": the grace periods offered for the old value.
    public const string GraceStopAtOnce = "Stop at once";

    public const string GraceOneHour = "1 hour";

    public const string GraceOneDay = "1 day";

    public const string GraceSevenDays = "7 days";

    // "History".
    public const string NoHistory =
        "This server keeps no history of API token changes (no audit store is registered). Ask your administrator to add one.";

    public static string InvalidPaging(int maxTake) => Format(
        $"Ask for the history with skip (0 or more) and take (1 to {maxTake}), for example ?skip=0&take=50.");

    // Developer mistakes, found at start-up or on first use.
    public const string MissingServices =
        "MapApiTokensPage needs the page's services: call builder.Services.AddApiTokens(…).AddPage() before building the app.";

    public static string InvalidPrefix(string prefix) =>
        Format($"The page prefix '{prefix}' must start with '/' and not end with '/', for example \"/tokens\".");

    public static string MissingAsset(string name) =>
        Format($"The embedded page asset '{name}' is missing from the ApiTokens.Page assembly. Rebuild the package.");

    public const string EmptyUserNameClaimType =
        "ApiTokensPageOptions.UserNameClaimType is empty. Set it to the claim that holds the user name, for example ClaimTypes.Name.";

    public const string EmptyTitle = "ApiTokensPageOptions.Title is empty. Set the page's heading, for example \"API Tokens\".";

    public const string EmptyAuthenticationScheme =
        "ApiTokensPageOptions.AuthenticationSchemes contains an empty name. Remove it, or give the name of a registered scheme.";

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
