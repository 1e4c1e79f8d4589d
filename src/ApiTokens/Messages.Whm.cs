namespace ApiTokens;

/// <summary>The sentences of the WHM token calls' own checks on their parameters, and of the whitelist rules they brought.</summary>
internal static partial class Messages
{
    /// <summary>WHM's refusal of an empty value in a repeated argument (<c>whitelist_ip=</c>).</summary>
    public static string EmptyArguments(string name) => Format($"The “{name}” arguments cannot be empty.");

    /// <summary>A <c>name-N</c> key whose N is not a number that can be read (<c>acl-99999999999999999999</c>).</summary>
    public static string MalformedIndexedParameter(string key, string name) => Format(
        $"The parameter “{Shorten(key)}” is not valid. Number repeated values as {name}-1, {name}-2 and so on.");

    /// <summary>A whitelist range whose address has host bits set (WHM refuses it rather than mask it; the page shares the rule).</summary>
    public static string WhitelistHostBits(string entry, string range) => Format(
        $"“{Shorten(entry)}” has host bits set after the prefix length. Use the range’s first address: {range}.");

    /// <summary>A WHM route's refusal of an authenticated caller whose token (or account) lacks the call's privileges.</summary>
    public static string WhmMissingPrivileges(IReadOnlyList<string> missing) => missing.Count == 1
        ? Format($"Access denied: this call needs the “{Shorten(missing[0])}” privilege.")
        : Format($"Access denied: this call needs the privileges {string.Join(", ", missing.Select(m => "“" + Shorten(m) + "”"))}.");

    /// <summary>A WHM route's refusal of an authenticated caller for a requirement of the host's own (not a privilege).</summary>
    public const string WhmAccessDenied = "Access denied.";

    /// <summary>WHM API 0's <c>statusmsg</c> for a missing privilege, exactly as WHM writes it.</summary>
    public const string WhmApi0PermissionDenied = "Permission Denied";

    /// <summary>A method other than GET and POST under the WHM prefix.</summary>
    public static string WhmMethodNotAnswered(string method) =>
        Format($"WHM functions answer GET and POST, not {Shorten(method)}.");

    /// <summary>An unknown function under the WHM prefix, as WHM words it.</summary>
    public static string WhmUnknownFunction(string function) =>
        Format($"Unknown app (“{Shorten(function)}”) requested for this version (1) of the API.");
}
