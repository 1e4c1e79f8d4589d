namespace ApiTokens.EntityFrameworkCore;

/// <summary>
/// Converts between <see cref="ApiTokenAuditEvent"/> and its row: the time in Unix milliseconds, the expiry in Unix seconds, the
/// action by name, the changed fields comma-separated. Text longer than its column is cut (an audit write never fails on length).
/// </summary>
internal static class ApiTokenAuditEntityMapper
{
    private const char FieldSeparator = ',';

    public static ApiTokenAuditEntity ToEntity(ApiTokenAuditEvent auditEvent) => new()
    {
        AccountId = Cut(auditEvent.AccountId, ApiTokensModelNames.AccountIdMaxLength)!,
        UserName = Cut(auditEvent.UserName, ApiTokensModelNames.AuditUserNameMaxLength),
        TokenName = Cut(auditEvent.TokenName, TokenNames.MaxLength),
        NewTokenName = Cut(auditEvent.NewTokenName, TokenNames.MaxLength),
        Action = Cut(auditEvent.Action.ToString(), ApiTokensModelNames.AuditActionMaxLength)!,
        Time = auditEvent.Time.ToUnixTimeMilliseconds(),
        Actor = Cut(auditEvent.Actor, ApiTokensModelNames.AuditUserNameMaxLength),
        RemoteAddress = Cut(auditEvent.RemoteAddress, ApiTokensModelNames.AuditRemoteAddressMaxLength),
        ChangedFields = JoinFields(auditEvent.ChangedFields),
        ExpiresAt = auditEvent.ExpiresAt?.ToUnixTimeSeconds(),
    };

    /// <summary>The event a row holds, or <see langword="null"/> when its action is not one this version knows (a newer version wrote it).</summary>
    public static ApiTokenAuditEvent? ToEvent(ApiTokenAuditEntity row)
    {
        if (!Enum.TryParse<ApiTokenAuditAction>(row.Action, ignoreCase: false, out var action) || !Enum.IsDefined(action)
            || !string.Equals(action.ToString(), row.Action, StringComparison.Ordinal))
        {
            return null;
        }

        return new ApiTokenAuditEvent(
            action,
            row.AccountId,
            row.UserName,
            row.TokenName,
            row.NewTokenName,
            DateTimeOffset.FromUnixTimeMilliseconds(row.Time),
            row.Actor,
            row.RemoteAddress)
        {
            ChangedFields = row.ChangedFields?.Split(FieldSeparator, StringSplitOptions.RemoveEmptyEntries),
            ExpiresAt = ApiTokenEntityMapper.FromUnixSeconds(row.ExpiresAt),
        };
    }

    /// <summary><paramref name="value"/> cut to at most <paramref name="maxLength"/> characters, never inside a surrogate pair.</summary>
    public static string? Cut(string? value, int maxLength)
    {
        if (value is null || value.Length <= maxLength)
        {
            return value;
        }

        var length = char.IsHighSurrogate(value[maxLength - 1]) ? maxLength - 1 : maxLength;
        return value[..length];
    }

    /// <summary>The field names comma-separated; a list longer than the column keeps its first whole names.</summary>
    private static string? JoinFields(IReadOnlyList<string>? fields)
    {
        if (fields is null)
        {
            return null;
        }

        var joined = string.Join(FieldSeparator, fields);
        if (joined.Length <= ApiTokensModelNames.AuditChangedFieldsMaxLength)
        {
            return joined;
        }

        var cut = joined.LastIndexOf(FieldSeparator, ApiTokensModelNames.AuditChangedFieldsMaxLength);
        return cut > 0 ? joined[..cut] : Cut(joined, ApiTokensModelNames.AuditChangedFieldsMaxLength);
    }
}
