namespace WhmAdmin;

/// <summary>The sample's own log messages (never a password, hash, token or header value).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning,
        Message = "root's password is the development default. Set WhmAdmin:RootPassword before the first start of any shared or public instance.")]
    public static partial void DefaultRootPassword(ILogger logger);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "WhmAdmin:RootPassword does not match root's stored password and was ignored: it only sets the password when root has none (first start).")]
    public static partial void ConfiguredRootPasswordIgnored(ILogger logger);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Login of {User} from {RemoteIp}")]
    public static partial void LoggedIn(ILogger logger, string user, string? remoteIp);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Login failed for {User} from {RemoteIp}: {Reason}")]
    public static partial void LoginFailed(ILogger logger, string user, string? remoteIp, string reason);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning,
        Message = "Logins for {User} or from {RemoteIp} are refused for up to {Window} after too many failures")]
    public static partial void LoginBlocked(ILogger logger, string user, string? remoteIp, TimeSpan window);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Logout of {User}")]
    public static partial void LoggedOut(ILogger logger, string? user);
}
