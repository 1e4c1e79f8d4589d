using Microsoft.Extensions.Logging;

namespace ApiTokens.Authentication;

/// <summary>
/// The scheme's loggers, one per node: our lines under <c>ApiTokens.Authentication.WhmTokenHandler</c>, the failure summary, and the
/// factory handed to ASP.NET's <see cref="Microsoft.AspNetCore.Authentication.AuthenticationHandler{TOptions}"/> base class.
/// </summary>
/// <remarks>
/// The base class creates its logger as <c>loggerFactory.CreateLogger(GetType().FullName)</c> and writes per-request lines through
/// it: "AuthenticationScheme: whm was not authenticated. Failure message: …", "… was challenged", "… was forbidden" at
/// Information. Under our handler's type name those land in <c>ApiTokens.*</c>, where a host's usual
/// <c>"Microsoft.AspNetCore": "Warning"</c> filter does not reach them, so every failed request would write three lines. The
/// base class takes the factory in its constructor and offers no other hook, so the handler passes it
/// <see cref="BaseLoggerFactory"/>, whose every logger has the category <see cref="AspNetCoreCategory"/>: ASP.NET's lines about the
/// scheme then sit in <c>Microsoft.AspNetCore.Authentication.*</c> next to those of every built-in scheme (JwtBearer, Cookies), and
/// the host's filter for ASP.NET applies to them. Our own lines keep the <c>ApiTokens.*</c> category.
/// </remarks>
internal sealed class WhmTokenLogging
{
    /// <summary>The category of the base class's lines.</summary>
    public const string AspNetCoreCategory = "Microsoft.AspNetCore.Authentication.WhmToken";

    public WhmTokenLogging(ILoggerFactory loggerFactory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Logger = loggerFactory.CreateLogger<WhmTokenHandler>();
        BaseLoggerFactory = new FixedCategoryLoggerFactory(loggerFactory, AspNetCoreCategory);
        Failures = new WhmFailureSummary(time);
    }

    /// <summary>Our lines (events 1001, 1002).</summary>
    public ILogger Logger { get; }

    /// <summary>Given to the base class: every logger it creates has the category <see cref="AspNetCoreCategory"/>.</summary>
    public ILoggerFactory BaseLoggerFactory { get; }

    /// <summary>Counts failures and says when they spike.</summary>
    public WhmFailureSummary Failures { get; }

    /// <summary>Creates every logger under one category; adding providers and disposing are the host's factory's business.</summary>
    private sealed class FixedCategoryLoggerFactory(ILoggerFactory inner, string category) : ILoggerFactory
    {
        private readonly ILogger _logger = inner.CreateLogger(category);

        public ILogger CreateLogger(string categoryName) => _logger;

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose()
        {
            // The host owns and disposes the inner factory.
        }
    }
}
