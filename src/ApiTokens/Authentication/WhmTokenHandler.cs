using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApiTokens.Authentication;

/// <summary>
/// Authenticates <c>Authorization: whm user:token</c>. Header → parse → verify (cache, then store and Argon2)
/// → principal. Every credential refusal is the same 401 to the client; the log says which it was, and the
/// <c>apitokens.authentication.attempts</c> counter counts each credential by result and failure reason. A credential that could
/// not be checked is not refused: a busy node or an unreachable store is a 503, a client blocked by <c>ApiTokens:ClientLimits</c> a
/// 429, both with <c>Retry-After</c> (<see cref="WhmFailureNote"/>). Each refused credential counts against its client's limit.
/// </summary>
internal sealed class WhmTokenHandler : AuthenticationHandler<WhmTokenOptions>
{
    private readonly ApiTokenFormat _format;
    private readonly ApiTokenVerifier _verifier;
    private readonly LegacyTokenIndex _legacy;
    private readonly WhmTokenLogging _logging;
    private readonly ApiTokensMetrics _metrics;

    /// <summary>
    /// Creates the handler. The base class gets <see cref="WhmTokenLogging.BaseLoggerFactory"/>, so its per-request lines are
    /// written under <c>Microsoft.AspNetCore.Authentication.*</c>, not under our category (see <see cref="WhmTokenLogging"/>).
    /// The app's <paramref name="meterFactory"/> (every host has one) gives the instruments, looked up once per app, not per request.
    /// </summary>
    public WhmTokenHandler(
        IOptionsMonitor<WhmTokenOptions> options,
        WhmTokenLogging logging,
        UrlEncoder encoder,
        ApiTokenFormat format,
        ApiTokenVerifier verifier,
        LegacyTokenIndex legacy,
        IMeterFactory? meterFactory = null)
        : base(options, (logging ?? throw new ArgumentNullException(nameof(logging))).BaseLoggerFactory, encoder)
    {
        _logging = logging;
        _format = format ?? throw new ArgumentNullException(nameof(format));
        _verifier = verifier ?? throw new ArgumentNullException(nameof(verifier));
        _legacy = legacy ?? throw new ArgumentNullException(nameof(legacy));
        _metrics = ApiTokensMetrics.For(meterFactory);
    }

    /// <summary>The failure reason an app's <see cref="WhmTokenEvents.OnTokenValidated"/> refusal is counted under.</summary>
    internal const string RejectedByEvent = "rejected_by_event";

    private static readonly object CredentialReadKey = new();

    private new WhmTokenEvents Events => (WhmTokenEvents)base.Events!;

    /// <summary>
    /// Whether a whm handler read a credential on this request (from the <c>Authorization: whm</c> header or
    /// <see cref="WhmMessageReceivedContext.Credential"/>), whether it verified or not: such a request is a token request.
    /// </summary>
    internal static bool ReadCredential(Microsoft.AspNetCore.Http.HttpContext context) => context.Items.ContainsKey(CredentialReadKey);

    /// <inheritdoc />
    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new WhmTokenEvents());

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? credential = null;
        if (Events.ListensToMessageReceived)
        {
            var received = new WhmMessageReceivedContext(Context, Scheme, Options);
            await Events.MessageReceivedAsync(received).ConfigureAwait(false);
            if (received.Result is not null)
            {
                if (!received.Result.None)
                {
                    Context.Items[CredentialReadKey] = true;
                }

                return received.Result;
            }

            credential = received.Credential;
        }

        string source;
        Range user = default, token = default;
        if (credential is not null)
        {
            Context.Items[CredentialReadKey] = true;
            source = credential;
            if (WhmAuthorizationHeader.TryParseCredential(source, Options.MaxUserNameLength, out user, out token) != WhmAuthorizationHeader.Outcome.Parsed)
            {
                return await FailAsync(ApiTokenFailureReason.Malformed, null, null).ConfigureAwait(false);
            }
        }
        else
        {
            var headers = Request.Headers.Authorization;
            if (headers.Count == 0)
            {
                return AuthenticateResult.NoResult();
            }

            source = headers.Count == 1 ? headers[0] ?? string.Empty : string.Empty;
            var maxLength = source.Length > Options.MaxHeaderLength && WhmAuthorization.IsWhm(source.AsSpan()) ? await MaxHeaderLengthAsync(source.Length).ConfigureAwait(false) : Options.MaxHeaderLength;
            var outcome = headers.Count == 1
                ? WhmAuthorizationHeader.TryParseHeader(source, maxLength, Options.MaxUserNameLength, out user, out token)
                : WhmAuthorization.IsWhm(headers) ? WhmAuthorizationHeader.Outcome.Malformed : WhmAuthorizationHeader.Outcome.NotWhm;
            if (outcome == WhmAuthorizationHeader.Outcome.NotWhm)
            {
                return AuthenticateResult.NoResult();
            }

            // No Items entry here: the header itself tells PrivilegeSchemes.IsTokenRequest that this is a token request.
            if (outcome == WhmAuthorizationHeader.Outcome.Malformed)
            {
                return await FailAsync(ApiTokenFailureReason.Malformed, null, null).ConfigureAwait(false);
            }
        }

        var result = await _verifier.VerifyAsync(source.AsSpan(user), source.AsSpan(token), Context.Connection.RemoteIpAddress).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return await FailAsync(result.FailureReason, source[user], result.TokenName, result.RetryAfterSeconds).ConfigureAwait(false);
        }

        var verified = result.Token!;
        var principal = CreatePrincipal(verified, Scheme.Name);
        if (!Events.ListensToTokenValidated)
        {
            AddExpirationHeader(Response, verified);
            _metrics.AuthenticationSucceeded();
            return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
        }

        var validated = new WhmTokenValidatedContext(Context, Scheme, Options, verified) { Principal = principal };
        await Events.TokenValidatedAsync(validated).ConfigureAwait(false);
        if (validated.Result is null)
        {
            validated.Success();
        }

        if (validated.Result!.Succeeded)
        {
            AddExpirationHeader(Response, verified);
            _metrics.AuthenticationSucceeded();
        }
        else
        {
            _metrics.AuthenticationFailed(RejectedByEvent);
        }

        return validated.Result;
    }

    /// <summary>
    /// Puts <see cref="WhmTokenDefaults.ExpirationHeaderName"/> on the response when <paramref name="verified"/>'s token expires, whatever the
    /// answer turns out to be (a 403 for a missing privilege too: the script still learns its token expires), set as the response
    /// starts so that middleware clearing the headers on an error does not drop it. A token that never expires costs one null
    /// check: no callback, no allocation. The date is formatted once per verified (cached) token, not per request.
    /// </summary>
    internal static void AddExpirationHeader(Microsoft.AspNetCore.Http.HttpResponse response, VerifiedToken verified)
    {
        if (verified.ExpirationHeaderValue is not { } value || response.HasStarted)
        {
            return;
        }

        response.OnStarting(
            static state =>
            {
                var (response, value) = ((Microsoft.AspNetCore.Http.HttpResponse, string))state;
                response.Headers[WhmTokenDefaults.ExpirationHeaderName] = value;
                return Task.CompletedTask;
            },
            (response, value));
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var note = WhmFailureNote.Find(Context);
        var context = new WhmChallengeContext(Context, Scheme, Options, properties)
        {
            FailureReason = note?.Reason ?? ApiTokenFailureReason.None,
            RetryAfter = note?.RetryAfter,
        };
        await Events.ChallengeAsync(context).ConfigureAwait(false);
        if (context.Handled)
        {
            return;
        }

        // Not a refusal: the credential could not be checked. No WWW-Authenticate, which would tell the client to change it.
        if (note is { IsUnavailable: true } && !Response.HasStarted)
        {
            note.ApplyTo(Response);
            await Microsoft.AspNetCore.Http.Results.Problem(note.Detail, statusCode: note.StatusCode, title: note.Title)
                .ExecuteAsync(Context).ConfigureAwait(false);
            return;
        }

        Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = Options.Challenge;
    }

    /// <inheritdoc />
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var context = new WhmForbiddenContext(Context, Scheme, Options);
        await Events.ForbiddenAsync(context).ConfigureAwait(false);
        if (context.Result is null)
        {
            await base.HandleForbiddenAsync(properties).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <see cref="WhmTokenOptions.MaxHeaderLength"/>, raised to <see cref="LegacyTokens.MaxHeaderLength"/> only for a longer header
    /// while the store holds rows made from cPanel credentials (a Remote Access Key is hundreds of characters). Every other long
    /// header stays malformed with no store query.
    /// </summary>
    private async ValueTask<int> MaxHeaderLengthAsync(int length) =>
        length <= LegacyTokens.MaxHeaderLength && await _legacy.MayExistAsync().ConfigureAwait(false)
            ? LegacyTokens.MaxHeaderLength
            : Options.MaxHeaderLength;

    /// <summary>Builds the principal for a verified token: name, account id, token name, full-access flag, privileges.</summary>
    internal static ClaimsPrincipal CreatePrincipal(VerifiedToken verified, string authenticationType) =>
        new(new ClaimsIdentity(verified.Claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));

    private async Task<AuthenticateResult> FailAsync(ApiTokenFailureReason reason, string? userName, string? tokenName, int retryAfterSeconds = 0)
    {
        if (CountsAgainstClient(reason))
        {
            (reason, retryAfterSeconds) = CountAgainstClient(reason, retryAfterSeconds);
        }

        _metrics.AuthenticationFailed(EnumTagValues<ApiTokenFailureReason>.Of(reason));
        var logger = _logging.Logger;
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var loggedUser = userName is null ? "-" : LoggableUserName(userName);
            Log.AuthenticationFailed(logger, reason, loggedUser, tokenName ?? "-", Context.Connection.RemoteIpAddress?.ToString() ?? "-");
        }

        if (_logging.Failures.Record(reason) is { } spike)
        {
            Log.AuthenticationFailuresSpiked(logger, spike.Count, spike.Since, spike.Reasons);
        }

        var unavailable = ApiTokenVerificationResult.IsUnavailableReason(reason);
        var failed = new WhmAuthenticationFailedContext(Context, Scheme, Options, reason, userName, tokenName)
        {
            RetryAfter = unavailable ? TimeSpan.FromSeconds(retryAfterSeconds) : null,
        };
        await Events.AuthenticationFailedAsync(failed).ConfigureAwait(false);
        var result = failed.Result ?? AuthenticateResult.Fail(unavailable ? Messages.AuthenticationUnavailableTitle : "Invalid API token.");
        if (result.Failure is not null)
        {
            WhmFailureNote.Set(Context, reason, retryAfterSeconds);
        }

        return result;
    }

    /// <summary>
    /// The refused credentials that count against their client's limit (<c>ApiTokens:ClientLimits</c>). Not an expired token, a
    /// suspended owner or an address off the whitelist (the secret was proven), nor a result that proves nothing either way.
    /// </summary>
    private static bool CountsAgainstClient(ApiTokenFailureReason reason) => reason is ApiTokenFailureReason.Malformed
        or ApiTokenFailureReason.UnknownUser or ApiTokenFailureReason.UnknownToken or ApiTokenFailureReason.WrongSecret
        or ApiTokenFailureReason.Throttled;

    /// <summary>
    /// Counts the refusal against the client; a malformed credential (refused before the verifier) from a client that is already
    /// blocked is answered as blocked, as everything else from it is.
    /// </summary>
    private (ApiTokenFailureReason, int) CountAgainstClient(ApiTokenFailureReason reason, int retryAfterSeconds)
    {
        var limits = _verifier.ClientLimits;
        if (!limits.Enabled)
        {
            return (reason, retryAfterSeconds);
        }

        var address = Context.Connection.RemoteIpAddress;
        if (reason == ApiTokenFailureReason.Malformed && limits.IsBlocked(address, out var blockedFor))
        {
            return (ApiTokenFailureReason.ClientBlocked, blockedFor);
        }

        limits.RecordFailure(address);
        if (address is not null && IPAddress.IsLoopback(address)
            && (Request.Headers.ContainsKey("X-Forwarded-For") || Request.Headers.ContainsKey("Forwarded")))
        {
            limits.NoteLoopbackWithForwardingHeader(address);
        }

        return (reason, retryAfterSeconds);
    }

    /// <summary>
    /// The user name as the log may show it. Anything that could be (part of) a token rather than an account name
    /// (a swapped or mistyped header) is redacted: a value that parses as a token, one with a run of 16 or more
    /// letters and digits (longer than any cPanel user name), or one with characters account names do not use.
    /// </summary>
    private string LoggableUserName(string userName)
    {
        var looksLikeAccount = userName.Length <= 64 && !_format.TryParse(userName, out _, out _);
        var run = 0;
        foreach (var c in userName)
        {
            if (!looksLikeAccount)
            {
                break;
            }

            run = char.IsAsciiLetterOrDigit(c) ? run + 1 : 0;
            looksLikeAccount = run < 16 && (char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@');
        }

        return looksLikeAccount ? userName : $"(redacted, {userName.Length} characters)";
    }
}
