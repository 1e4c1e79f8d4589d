using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApiTokens.Whm;

internal static partial class WhmTokenApiHandlers
{
    /// <summary>This project's extension call (WHM has none): a new value for a token, the old one kept for a grace period.</summary>
    public const string Rotate = "api_token_rotate";

    private const string GracePeriodParameter = "grace_period";

    /// <summary>
    /// <c>api_token_rotate</c>: <c>token_name</c> (required) and <c>grace_period</c> (whole seconds, 0 to
    /// <c>ApiTokens:Rotation:MaxGracePeriod</c>; absent: 0). Answers <c>name</c>, <c>create_time</c>, <c>expires_at</c>,
    /// <c>token</c> (the new plaintext, only here) and <c>previous_token_expires_at</c> (when the old value stops, Unix time).
    /// </summary>
    public static async Task<WhmApiResult> RotateAsync(HttpContext context, WhmApiParameters parameters)
    {
        if (WhmApi.AccountId(context) is not { } accountId)
        {
            return WhmApiResult.Failure(Rotate, ApiTokenErrors.AccountNotFound.Message);
        }

        var name = parameters.Get(TokenNameParameter);
        if (string.IsNullOrEmpty(name))
        {
            return WhmApiResult.Failure(Rotate, Messages.MissingParameter(TokenNameParameter));
        }

        var services = context.RequestServices;
        var maxGrace = services.GetRequiredService<IOptions<ApiTokenOptions>>().Value.Rotation.MaxGracePeriod;
        if (!TryParseGracePeriod(parameters.Get(GracePeriodParameter), maxGrace, out var gracePeriod, out var graceError))
        {
            return WhmApiResult.Failure(Rotate, graceError);
        }

        var manager = services.GetRequiredService<ApiTokenManager>();
        var result = await manager.RotateAsync(accountId, name, gracePeriod, WhmApi.Actor(context), context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return WhmApiResult.Failure(Rotate, result.Error.Message);
        }

        var rotated = result.Value;
        return WhmApiResult.Success(Rotate, w =>
        {
            var token = rotated.Token;
            w.WriteString("name", token.Name);
            w.WriteNumber("create_time", token.CreatedAt.ToUnixTimeSeconds());
            WriteExpiry(w, token);
            w.WriteString("token", rotated.PlaintextToken);
            w.WriteNumber("previous_token_expires_at", rotated.PreviousTokenExpiresAt.ToUnixTimeSeconds());
        });
    }

    /// <summary>
    /// Reads <c>grace_period</c>: absent is 0; otherwise whole seconds (digits only, surrounding spaces allowed) no more than
    /// <paramref name="max"/>. Anything else (empty, negative, a fraction, a unit) is refused rather than read as 0, which would
    /// stop the old value at once when a script meant to keep it.
    /// </summary>
    internal static bool TryParseGracePeriod(string? raw, TimeSpan max, out TimeSpan gracePeriod, out string error)
    {
        gracePeriod = TimeSpan.Zero;
        error = string.Empty;
        if (raw is null)
        {
            return true;
        }

        var text = raw.Trim();
        if (text.Length == 0 || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            error = Messages.InvalidGracePeriodParameter(raw, max);
            return false;
        }

        if (seconds > (long)max.TotalSeconds)
        {
            error = ApiTokenErrors.InvalidGracePeriod(max).Message;
            return false;
        }

        gracePeriod = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
