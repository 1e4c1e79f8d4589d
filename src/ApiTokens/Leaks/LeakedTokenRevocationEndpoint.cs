using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiTokens;

/// <summary>
/// The leak revocation endpoint: the address's rate limit → content type → body (size, then shape, all before any lookup) → the
/// overall rate limit (only for a report with a value that could be a token) → revoke through the manager, within the Argon2
/// budget → one answer. A well-formed report always gets <c>202 {"received": N}</c>, the same bytes whatever was live; only a
/// store outage or candidates that could not all be checked now (the hash gate throttled or busy, the reporter's or the overall
/// budget of checks spent) make it a <c>503</c> with <c>Retry-After</c>, so the reporter sends it again (see docs/leaked-tokens.md).
/// </summary>
internal sealed class LeakedTokenRevocationEndpoint : IDisposable
{
    /// <summary>The log category of the endpoint's lines (event ids 1701–1749).</summary>
    public const string LoggerCategory = "ApiTokens.LeakedTokenRevocation";

    private readonly ConcurrentDictionary<Type, bool> _lookupSupport = new();

    private readonly LeakedTokenRevocationOptions _options;
    private readonly LeakRateLimiter _limiter;
    private readonly LeakCheckBudget _budget;
    private readonly ILogger _logger;

    public LeakedTokenRevocationEndpoint(LeakedTokenRevocationOptions options, ILoggerFactory loggers, TimeProvider time)
    {
        _options = options;
        _limiter = new LeakRateLimiter(options);
        _budget = new LeakCheckBudget(options.MaxFailedChecksPerAddress, options.MaxChecksPerWindow, options.Window, time);
        _logger = loggers.CreateLogger(LoggerCategory);
    }

    public void Dispose() => _limiter.Dispose();

    public async Task HandleAsync(HttpContext context)
    {
        var address = ClientAddress(context);
        var addressText = address?.ToString() ?? "-";
        context.Response.Headers.CacheControl = "no-store";

        if (!_limiter.TryAcquireForAddress(address, out var retryAfter))
        {
            await RateLimitedAsync(context, addressText, retryAfter).ConfigureAwait(false);
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
        var manager = services.GetRequiredService<ApiTokenManager>();
        var lookUpImported = values.Count > 0 && await services.GetRequiredService<LegacyTokenIndex>().MayExistAsync().ConfigureAwait(false);

        // The overall limit counts only reports worth a lookup: garbage from a few addresses must not keep real reporters out.
        if (values.Any(value => manager.IsLeakCandidate(value, lookUpImported)) && !_limiter.TryAcquireOverall(out retryAfter))
        {
            await RateLimitedAsync(context, addressText, retryAfter).ConfigureAwait(false);
            return;
        }

        var handlers = services.GetServices<IApiTokenLeakHandler>().ToArray();
        var reporter = new LeakReporter(
            new ApiTokenActor(_options.ActorName, _options.RecordReporterAddress ? address?.ToString() : null),
            address?.ToString(),
            LeakRateLimiter.PartitionKey(address),
            _budget);

        // Not the request's token: a reporter that hangs up once the body is sent must not stop a revocation half-way. The work is
        // bounded anyway (MaxValues lookups, each candidate one hash check within the budget, through the gate's bounded wait).
        var result = await manager.RevokeLeakedAsync(values, reporter, handlers, lookUpImported, CancellationToken.None).ConfigureAwait(false);
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

    /// <summary>
    /// The start-up check: resolves the store in a scope of its own and says (once per store type) if it cannot find leaked
    /// tokens. Never throws: a store that cannot be made now is checked again on the first report.
    /// </summary>
    public void CheckStore(IServiceProvider services)
    {
        try
        {
            using var scope = services.CreateScope();
            WarnIfLookupMissing(scope.ServiceProvider.GetRequiredService<IApiTokenStore>());
        }
#pragma warning disable CA1031 // A check of the store's shape must never stop the app: the first report checks again.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private Task RateLimitedAsync(HttpContext context, string address, int retryAfter)
    {
        Log.LeakReportRateLimited(_logger, address);
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return ProblemAsync(context, StatusCodes.Status429TooManyRequests, Messages.LeakRateLimitedTitle, Messages.LeakRateLimited);
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
        if (_lookupSupport.ContainsKey(type))
        {
            return;
        }

        var implemented = StoreMethods.Implements(type, nameof(IApiTokenStore.FindAllBySelectorAsync));
        if (_lookupSupport.TryAdd(type, implemented) && !implemented)
        {
            Log.LeakLookupNotImplemented(_logger, StoreMethods.NameOf(type));
        }
    }
}
