using System.Diagnostics;

namespace ApiTokens;

/// <summary>
/// The names the library's telemetry goes by: one <see cref="System.Diagnostics.Metrics.Meter"/> and one
/// <see cref="System.Diagnostics.ActivitySource"/>, both named <see cref="Name"/> (what an app passes to OpenTelemetry's
/// <c>AddMeter</c> and <c>AddSource</c>). Every instrument and activity is listed in docs/observability.md.
/// </summary>
internal static class ApiTokensDiagnostics
{
    /// <summary>The meter's and the activity source's name.</summary>
    public const string Name = "ApiTokens";

    /// <summary>A verification the cache did not answer: account lookup, store read by selector, Argon2 (one per flight).</summary>
    public const string VerifyActivity = "ApiTokens.Verify";

    /// <summary>One Argon2 run through the hash gate, with its wait for a slot: a verification or a new hash.</summary>
    public const string HashActivity = "ApiTokens.Hash";

    /// <summary>Management calls, one activity each, tagged <c>apitokens.management.result</c> (success or the error code).</summary>
    public const string CreateActivity = "ApiTokens.Create";

    /// <inheritdoc cref="CreateActivity"/>
    public const string UpdateActivity = "ApiTokens.Update";

    /// <inheritdoc cref="CreateActivity"/>
    public const string RevokeActivity = "ApiTokens.Revoke";

    /// <inheritdoc cref="CreateActivity"/>
    public const string RevokeAllActivity = "ApiTokens.RevokeAll";

    /// <inheritdoc cref="CreateActivity"/>
    public const string RotateActivity = "ApiTokens.Rotate";

    /// <summary>
    /// The activity source. <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null (and costs a
    /// field read) unless a listener samples it; nothing on the cached path starts one.
    /// </summary>
    public static readonly ActivitySource ActivitySource = new(Name);
}
