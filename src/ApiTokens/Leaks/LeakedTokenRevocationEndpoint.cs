using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// The leak revocation endpoint: rate limit → content type → body (size, then shape, all before any lookup) → revoke through the
/// manager → one answer. A well-formed report always gets <c>202 {"received": N}</c>, the same bytes whatever was live; only a
/// store outage or a hash gate that could not check every candidate makes it a <c>503</c> with <c>Retry-After</c>, so the
/// reporter sends it again (see docs/leaked-tokens.md).
/// </summary>
internal sealed class LeakedTokenRevocationEndpoint : IDisposable
{
    /// <summary>The log category of the endpoint's lines (event ids 1701–1749).</summary>
    public const string LoggerCategory = "ApiTokens.LeakedTokenRevocation";

    private readonly ConcurrentDictionary<Type, bool> _lookupSupport = new();

    private readonly LeakedTokenRevocationOptions _options;
    private readonly LeakRateLimiter _limiter;
    private readonly ILogger _logger;

    public LeakedTokenRevocationEndpoint(LeakedTokenRevocationOptions options, ILoggerFactory loggers)
    {
        _options = options;
        _limiter = new LeakRateLimiter(options);
        _logger = loggers.CreateLogger(LoggerCategory);
    }

    public void Dispose() => _limiter.Dispose();

    public async Task HandleAsync(HttpContext context)
    {
        var address = ClientAddress(context);
        var addressText = address?.ToString() ?? "-";
        context.Response.Headers.CacheControl = "no-store";

        if (!_limiter.TryAcquire(address, out var retryAfter))
        {
            Log.LeakReportRateLimited(_logger, addressText);
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await ProblemAsync(context, StatusCodes.Status429TooManyRequests, Messages.LeakRateLimitedTitle, Messages.LeakRateLimited).ConfigureAwait(false);
            return;
        }

        if (!context.Request.HasJsonContentType())
        {
            await RefuseAsync(context, addressText, StatusCodes.Status415UnsupportedMediaType, Messages.LeakNotJson).ConfigureAwait(false);
            return;
        }

        LeakReportReader.Outcome report;
        try
        {
            report = await LeakReportReader.ReadAsync(context.Request, _options, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException)
        {
            report = new LeakReportReader.Outcome(null, Messages.LeakMalformed); // a broken chunked body, or the server's own limit
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            return; // the reporter went away before the body was read: nothing to check, nobody to answer
        }

        if (report.Values is not { } values)
        {
            await RefuseAsync(context, addressText, StatusCodes.Status400BadRequest, report.Error!).ConfigureAwait(false);
            return;
        }

        var services = context.RequestServices;
        WarnIfLookupMissing(services.GetRequiredService<IApiTokenStore>());
        var handlers = services.GetServices<IApiTokenLeakHandler>().ToArray();
        var lookUpImported = values.Count > 0 && await services.GetRequiredService<LegacyTokenIndex>().MayExistAsync().ConfigureAwait(false);
        var reporter = new ApiTokenActor(_options.ActorName, address?.ToString());

        // Not the request's token: a reporter that hangs up once the body is sent must not stop a revocation half-way. The work is
        // bounded anyway (MaxValues lookups, each candidate one hash check through the gate's bounded wait).
        var result = await services.GetRequiredService<ApiTokenManager>()
            .RevokeLeakedAsync(values, reporter, handlers, lookUpImported, CancellationToken.None).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            Log.LeakReportStoreUnavailable(_logger, addressText);
            await UnavailableAsync(context).ConfigureAwait(false);
            return;
        }

        var done = result.Value;
        if (done.Unchecked > 0)
        {
            Log.LeakReportIncomplete(_logger, addressText, done.Unchecked, done.Revoked + done.PreviousEnded);
            await UnavailableAsync(context).ConfigureAwait(false);
            return;
        }

        Log.LeakReportHandled(_logger, addressText, values.Count, done.Distinct, done.LookedUp, done.Revoked, done.PreviousEnded);
        var body = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"received":{{values.Count}}}"""));
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, CancellationToken.None).ConfigureAwait(false);
    }

    private Task UnavailableAsync(HttpContext context)
    {
        var seconds = (int)Math.Ceiling(_options.UnavailableRetryAfter.TotalSeconds);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ProblemAsync(context, StatusCodes.Status503ServiceUnavailable, Messages.LeakUnavailableTitle, Messages.LeakUnavailable);
    }

    private Task RefuseAsync(HttpContext context, string address, int status, string reason)
    {
        Log.LeakReportRefused(_logger, address, status, reason);
        return ProblemAsync(context, status, Messages.LeakRefusedTitle, reason);
    }

    private static Task ProblemAsync(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title).ExecuteAsync(context);

    /// <summary>The client's address as the server saw it (after forwarded headers, if the host set them up); IPv4-mapped as IPv4.</summary>
    private static IPAddress? ClientAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : context.Connection.RemoteIpAddress;

    /// <summary>
    /// A store (or a decorator) that keeps the interface's default <c>FindAllBySelectorAsync</c> finds nothing, so no leak is
    /// ever revoked: said once per store type and endpoint, since the answer cannot tell.
    /// </summary>
    private void WarnIfLookupMissing(IApiTokenStore store)
    {
        var type = store.GetType();
        if (_lookupSupport.TryGetValue(type, out _))
        {
            return;
        }

        var map = type.GetInterfaceMap(typeof(IApiTokenStore));
        var index = Array.FindIndex(map.InterfaceMethods, m => m.Name == nameof(IApiTokenStore.FindAllBySelectorAsync));
        var implemented = index >= 0 && map.TargetMethods[index].DeclaringType != typeof(IApiTokenStore);
        if (_lookupSupport.TryAdd(type, implemented) && !implemented)
        {
            Log.LeakLookupNotImplemented(_logger, type.FullName ?? type.Name);
        }
    }
}
