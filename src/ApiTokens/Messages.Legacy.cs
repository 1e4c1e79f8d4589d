namespace ApiTokens;

/// <summary>
/// The sentences of the legacy path: <c>tokens import-whm</c> (a cPanel token file), <c>tokens convert-accesshash</c> (a Remote
/// Access Key) and their help. Every refusal says that nothing was stored.
/// </summary>
internal static partial class Messages
{
    // Help.
    public const string ImportWhmCommandDescription =
        "Import a cPanel token file (/var/cpanel/authn/api_tokens_v2/whostmgr/USER.json): its tokens keep working with their old values, and each is upgraded to this app's own form on its first use. All or nothing.";

    public const string ImportFileArgumentDescription = "The cPanel token file, USER.json.";

    public const string ImportUserOptionDescription = "The account to import for (default: the file name without .json).";

    public const string ConvertAccessHashCommandDescription =
        "Turn a WHM Remote Access Key (access hash) into a full-access API token named accesshash-<epoch>, so scripts sending 'Authorization: WHM USER:<access hash>' keep working. Whitespace in the hash is removed.";

    public const string AccessHashFileOptionDescription = "Read the access hash from this file (default: standard input).";

    // Refusals (exit code 1). Each ends with "Nothing was imported." where it stops an import.
    public static string ImportFileNotFound(string path) => Format($"The file “{Shorten(path)}” does not exist or cannot be read. Nothing was imported.");

    public static string ImportFileTooLarge(string path, int maxMegabytes) =>
        Format($"The file “{Shorten(path)}” is larger than {maxMegabytes} MB, which no cPanel token file is. Nothing was imported.");

    public static string ImportNotJson(string path, string detail) =>
        Format($"The file “{Shorten(path)}” is not valid JSON ({detail}). Nothing was imported.");

    public static string ImportNoTokensObject(string path) =>
        Format($"The file “{Shorten(path)}” has no “tokens” object, so it is not a cPanel token file (api_tokens_v2/whostmgr/USER.json). Nothing was imported.");

    public static string ImportNoTokens(string path) => Format($"The file “{Shorten(path)}” holds no tokens. Nothing was imported.");

    public static string ImportBadKey(string key) =>
        Format($"The key “{Glimpse(key)}” is not the SHA-512 of a token (128 hex digits), so the file is damaged or not a cPanel token file. Nothing was imported.");

    public static string ImportRepeatedKey(string name) =>
        Format($"The token “{Shorten(name)}” appears twice in the file with the same hash. Nothing was imported.");

    public static string ImportBadEntry(string key, string field, string expected) =>
        Format($"In the entry of key “{Glimpse(key)}”, “{field}” is not {expected}. Nothing was imported.");

    public static string ImportNoAcls(string name) =>
        Format($"Token “{Shorten(name)}” has no “acls” list, which cPanel always writes ([\"all\"] for full access), so the file is damaged or not a cPanel token file. Nothing was imported.");

    public static string ImportRepeatedField(string key, string field) =>
        Format($"In the entry of key “{Glimpse(key)}”, “{Shorten(field)}” appears twice, so it cannot be read one way. Nothing was imported.");

    public static string ImportRepeatedName(string name) =>
        Format($"The name “{Shorten(name)}” is used by two tokens of the file; cPanel names are unique per account. Nothing was imported.");

    public static string ImportEntryRefused(string name, string reason) => Format($"Token “{Shorten(name)}”: {reason} Nothing was imported.");

    public static string ImportNameTaken(string name) =>
        Format($"The account already has an API token named “{Shorten(name)}”: revoke or rename it, or remove it from the file, then import again. Nothing was imported.");

    public static string ImportAlreadyImported(string name) =>
        Format($"The token “{Shorten(name)}” is already stored for this account (imported before?). Remove it from the file or revoke it first. Nothing was imported.");

    public static string ImportPartlyStored(IEnumerable<string> names) => Format(
        $"The store failed while importing and could not remove what it had stored, so these tokens of the file are stored and work: {string.Join(", ", names.Select(n => Shorten(n)))}. Revoke them, or remove them from the file and import the rest again.");

    public const string InvalidAccessHash =
        "The access hash is empty or not valid: after its whitespace is removed it must be 16 to 4096 printable characters. Nothing was stored.";

    public static string AccessHashTooLarge(int maxKilobytes) =>
        Format($"The access hash is longer than {maxKilobytes} KB, which no Remote Access Key is. Nothing was stored.");

    public const string AccessHashAlreadyConverted = "This access hash is already an API token of the account. Nothing was stored.";

    public static string AccessHashFileNotFound(string path) => Format($"The file “{Shorten(path)}” does not exist or cannot be read. Nothing was stored.");

    /// <summary>
    /// What a refusal may show of a value that may be a secret or a hash (a file's key, an access hash pasted where it does not
    /// belong): its first 8 characters and its length, never enough to hold a digest selector (30 hex digits) or to be presented.
    /// </summary>
    public static string Glimpse(string value) =>
        value.Length <= 8 ? value : Format($"{value[..8]}… ({value.Length} characters)");

    // Results.
    public static string CommandTokensImported(int count, string userName, IEnumerable<string> names) => Format(
        $"Imported {count} API token{(count == 1 ? "" : "s")} for {userName}: {string.Join(", ", names)}. Each keeps its old value and is upgraded to this app's own form on its first use.");

    public static string CommandAccessHashConverted(string name, string userName) => Format(
        $"Created API token “{name}” for {userName} (full access) from the access hash. Scripts can keep sending Authorization: WHM {userName}:<access hash>.");

    // Notes (standard error; the exit code stays 0).
    public static string ImportedWithoutBackplane(string interval) => Format(
        $"Note: a running server finds these tokens within {interval} (ApiTokens:LegacyTokenRefreshInterval) or when it restarts: this command runs in its own process. With a backplane (for example AddRedisBackplane, here and on the server) it finds them at once.");

    public static string ImportedButNotPublished(string interval) => Format(
        $"Note: the backplane could not be reached, so running servers find these tokens only within {interval} (ApiTokens:LegacyTokenRefreshInterval) or when they restart.");

    public const string InvalidLegacyTokenRefreshInterval =
        "ApiTokens:LegacyTokenRefreshInterval must be between 00:00:01 (one second) and 1.00:00:00 (one day).";
}
