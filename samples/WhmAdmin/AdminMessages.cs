namespace WhmAdmin;

/// <summary>Every user-facing reason of the sample's account functions, written once.</summary>
internal static class AdminMessages
{
    public const string CallerMissing = "Your account no longer exists.";

    public static string MissingParameter(string name) => $"The parameter “{name}” is required. Add {name}=… to the query string or form body.";

    public static string NoSuchAccount(string user) => $"The account “{user}” does not exist.";

    public static string NotYours(string user) => $"You do not own the account “{user}”. Only root or the account's owner can change it.";

    public static string NotYourself(string user) => $"You cannot change your own account “{user}” with this call. Ask root.";

    public static string InvalidUserName(string user) =>
        $"The user name “{user}” is not valid. Use 1 to 16 lower-case letters and digits, starting with a letter.";

    public static string UserNameTaken(string user) => $"The user name “{user}” is already in use. Choose another.";

    public static string UnknownPrivileges(IEnumerable<string> names) =>
        $"Unknown privilege(s): {string.Join(", ", names)}. Use names from the WHM ACL reference chart.";

    public const string NoPrivileges = "Specify at least one privilege with acl=…, acl-1=…";

    public const string AlreadySuspended = "The account is already suspended.";

    public const string NotSuspended = "The account is not suspended.";
}
