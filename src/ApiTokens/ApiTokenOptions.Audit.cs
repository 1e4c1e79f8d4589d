namespace ApiTokens;

public sealed partial class ApiTokenOptions
{
    /// <summary>The stored audit trail (<c>ApiTokens:Audit</c>): how long its events are kept.</summary>
    public ApiTokenAuditOptions Audit { get; set; } = new();
}
