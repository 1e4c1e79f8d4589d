namespace WhmAdmin;

/// <summary>Every user-facing reason of the sample's account functions, written once.</summary>
internal static class AdminMessages
{
    public const string CallerMissing = "Your account no longer exists.";

    public static string MissingParameter(string name) => $"The parameter “{name}” is required. Add {name}=… to the query string or form body.";

    public static string MissingEither(string first, string second) =>
        $"The parameter “{first}” (or “{second}”) is required. Add {first}=… to the query string or form body.";

    public static string NoSuchAccount(string user) => $"The account “{user}” does not exist.";

    public static string ChangedMeanwhile(string user) =>
        $"The account “{user}” was changed or removed by another call at the same time, so this call changed nothing. List it and try again.";

    public static string NotYours(string user) => $"You do not own the account “{user}”. Only root or the account's owner can change it.";

    public static string NotYourself(string user) => $"You cannot change your own account “{user}” with this call. Ask root.";

    public static string InvalidUserName(string user) =>
        $"The user name “{user}” is not valid. Use 1 to 16 lower-case letters and digits, starting with a letter.";

    public static string UserNameTaken(string user) => $"The user name “{user}” is already in use. Choose another.";

    public static string InvalidDomain(string domain) =>
        $"The domain “{domain}” is not valid. Give a host name such as example.com: letters, digits and hyphens, at least two labels.";

    public static string DomainTaken(string domain) => $"The domain “{domain}” already belongs to an account. Choose another.";

    public static string InvalidEmail(string email) => $"The contact address “{email}” is not valid. Give one address such as admin@example.com.";

    public static string InvalidPlan(string plan) => $"The plan “{plan}” is not valid. Use 1 to {AccountRules.MaxPlanLength} characters.";

    public static readonly string PasswordTooShort =
        $"The password is too short. Use at least {AccountRules.MinPasswordLength} characters, or leave password out (the account then cannot log in to the page).";

    public static string InvalidFlag(string name, string value) => $"The parameter “{name}” is “{value}”. Use 1 or 0.";

    public static readonly string ReasonTooLong = $"The reason is too long. Use at most {AccountRules.MaxReasonLength} characters.";

    public static string UnknownPrivileges(IEnumerable<string> names) =>
        $"Unknown privilege(s): {string.Join(", ", names)}. Grant each with acl-<name>=1, using names from the WHM ACL reference chart.";

    public static string InvalidAclValue(string key, string value) =>
        $"The parameter “{key}” is “{value}”. Use {key}=1 to grant the privilege, {key}=0 (or leave it out) to take it away.";

    public static string AclListNotSupported(string key) =>
        $"setacls takes one acl-<name>=1 key per privilege (for example acl-list-accts=1), not “{key}”.";

    public static string Unchanged(string user) => $"Account “{user}” unchanged. Give newuser, domain or contactemail to change it.";

    public static string AlreadySuspended(string user) => $"The account “{user}” is already suspended.";

    public static string NotSuspended(string user) => $"The account “{user}” is not suspended.";

    public static string Suspended(string user) => $"The account “{user}” is suspended.";

    public static string Unsuspended(string user) => $"The account “{user}” is unsuspended.";

    public static string Created(string user) => $"Account “{user}” created.";

    public static string Modified(string user) => $"Account “{user}” modified.";

    public static string Removed(string user) => $"Account “{user}” removed.";

    public static string AclsSet(string user) => $"Privileges of “{user}” set.";

    public const string UnknownSearchType = "Unknown search type. Use searchtype=domain, ip, user, package, owner or domain_and_user.";

    public const string SearchTypeRequired = "Specify what to search with searchtype=domain, ip, user, package, owner or domain_and_user.";

    public static string UnknownSearchMethod(string method) => $"The search method “{method}” is not known. Use searchmethod=exact or searchmethod=regex.";

    public static string InvalidPattern(string pattern, string error) =>
        $"The search “{pattern}” is not a valid regular expression ({error}). Fix it, or use searchmethod=exact.";

    public static string PatternTimedOut(string pattern) =>
        $"The search “{pattern}” took too long to match and was stopped. Use a simpler regular expression, or searchmethod=exact.";
}
