using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace WhmAdmin;

/// <summary>
/// What an operator watches (docs/observability.md): <c>/healthz</c>, the library's health checks as JSON (anonymous: it
/// names no host, connection string, user or token); <c>/livez</c>, a liveness answer that touches nothing; <c>/metrics</c>, the
/// <c>ApiTokens</c> meter and ASP.NET Core's in Prometheus text format, answered only to a scraper on this machine; and, when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, metrics and traces (the <c>ApiTokens</c> activities under each request's) over OTLP.
/// </summary>
internal static class Observability
{
    public const string HealthPath = "/healthz";
    public const string LivenessPath = "/livez";
    public const string MetricsPath = "/metrics";

    /// <summary>The meters exported: the library's, then ASP.NET Core's and the runtime's built-in ones.</summary>
    internal static readonly string[] Meters =
    [
        "ApiTokens",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization",
        "Microsoft.AspNetCore.Diagnostics",
        "System.Net.Http",
        "System.Runtime",
    ];

    public static void Add(WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddApiTokensHealthChecks();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("WhmAdmin"))
            .WithMetrics(m => m.AddMeter(Meters).AddPrometheusExporter());

        // Traces only with somewhere to send them: a tracer provider with no exporter would still sample every request.
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.WithTracing(t => t.AddSource("ApiTokens", "Microsoft.AspNetCore")).UseOtlpExporter();
        }
    }

    public static void Map(WebApplication app)
    {
        app.MapGet(LivenessPath, () => Results.Text("ok")).AllowAnonymous();
        app.MapGet(HealthPath, HealthAsync).AllowAnonymous();

        // Anything else (another address, or a request a proxy forwarded) finds no endpoint here: 404.
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == MetricsPath && IsLocalScrape(context));
    }

    /// <summary>
    /// A scrape from this machine: a loopback peer, and no forwarding header (a reverse proxy on this machine is a loopback peer
    /// too, and what it forwards comes from anywhere). Scrapers elsewhere go through an agent on the host.
    /// </summary>
    internal static bool IsLocalScrape(HttpContext context)
    {
        var peer = context.Connection.RemoteIpAddress;
        if (peer is null || context.Request.Headers.ContainsKey("X-Forwarded-For") || context.Request.Headers.ContainsKey("Forwarded"))
        {
            return false;
        }

        return IPAddress.IsLoopback(peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer);
    }

    /// <summary>Every check's status, description and data; 200 while Healthy or Degraded, 503 when Unhealthy.</summary>
    private static async Task<IResult> HealthAsync(HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        var answer = new HealthAnswer(
            report.Status.ToString(),
            Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            [.. report.Entries.Select(e => new HealthCheckAnswer(
                e.Key,
                e.Value.Status.ToString(),
                e.Value.Description,
                Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                e.Value.Data.Count == 0 ? null : e.Value.Data))]);
        return Results.Json(answer, statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    internal sealed record HealthAnswer(string Status, double DurationMs, IReadOnlyList<HealthCheckAnswer> Checks);

    internal sealed record HealthCheckAnswer(
        string Name, string Status, string? Description, double DurationMs, IReadOnlyDictionary<string, object>? Data);
}
