namespace ApiTokens;

/// <summary>Sentences of per-privilege authorization.</summary>
internal static partial class Messages
{
    public static string MissingAccountPrivilegeDetail(IReadOnlyList<string> missing) => missing.Count == 1
        ? Format($"This request needs the privilege '{missing[0]}', which your account does not hold. Ask an administrator to grant it.")
        : Format($"This request needs the privileges {string.Join(", ", missing.Select(m => $"'{m}'"))}, which your account does not hold. Ask an administrator to grant them.");

    public static string MissingAntiforgeryDetail(IReadOnlyList<string> missing) => Format(
        $"This request needs {(missing.Count == 1 ? "the privilege" : "the privileges")} {string.Join(", ", missing.Select(m => $"'{m}'"))}. A signed-in user holds their account's privileges on a POST, PUT, PATCH or DELETE request only with a valid antiforgery token (the antiforgery form field or header); send one, or use an API token.");

    public static string EndpointRequiresPrivilege(string? endpoint, string privilege, string? policyName) => policyName is not null
        ? Format($"{endpoint} requires '{privilege}' (policy '{policyName}')")
        : Format($"{endpoint} requires '{privilege}'");

    public static string PolicyProviderIgnoresPrivilegePolicies(string provider, string policyName) => Format(
        $"The authorization policy provider {provider} does not answer the policy '{policyName}', which RequirePrivilege uses. Pass the names your provider does not know to a DefaultAuthorizationPolicyProvider (the privilege policies are in AuthorizationOptions), or register your provider before AddWhmTokens, which then wraps it.");
}
