using System.Security.Claims;
using System.Text.Encodings.Web;
using ApiTokens.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApiTokens.Tests.Authentication;

/// <summary>
/// The forwarding the whm scheme inherits from <see cref="AuthenticationSchemeOptions"/> works as for ASP.NET's own schemes
/// (the cases of ASP.NET Core's SharedAuthenticationTests): each Forward* option sends that one operation to the named scheme, a
/// specific option wins over ForwardDefault, and ForwardDefaultSelector picks per request.
/// </summary>
public sealed class WhmForwardingTests
{
    private sealed class Counts
    {
        public int Authenticate { get; set; }

        public int Challenge { get; set; }

        public int Forbid { get; set; }
    }

    private sealed class RecordingHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, Counts counts)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            counts.Authenticate++;
            var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "forwarded")], Scheme.Name));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            counts.Challenge++;
            return Task.CompletedTask;
        }

        protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
        {
            counts.Forbid++;
            return Task.CompletedTask;
        }
    }

    private static (HttpContext Context, Counts Specific) Build(Action<WhmTokenOptions> configure)
    {
        var specific = new Counts();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddApiTokens().AddInMemoryStore().AddInMemoryAccounts();
        services.AddAuthentication()
            .AddWhmTokens(configure)
            .AddScheme<AuthenticationSchemeOptions, RecordingHandler>("specific", null);
        services.AddTransient(sp => new RecordingHandler(
            sp.GetRequiredService<IOptionsMonitor<AuthenticationSchemeOptions>>(), sp.GetRequiredService<ILoggerFactory>(), UrlEncoder.Default, specific));
        var provider = services.BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = provider };
        context.Request.Headers.Authorization = "whm root:NOTATOKEN";
        return (context, specific);
    }

    [Fact]
    public async Task ForwardDefault_SendsAuthenticateChallengeAndForbid_ToTheTarget()
    {
        var (context, specific) = Build(o => o.ForwardDefault = "specific");

        var result = await context.AuthenticateAsync(WhmTokenDefaults.AuthenticationScheme);
        await context.ChallengeAsync(WhmTokenDefaults.AuthenticationScheme);
        await context.ForbidAsync(WhmTokenDefaults.AuthenticationScheme);

        Assert.True(result.Succeeded);
        Assert.Equal("forwarded", result.Principal!.Identity!.Name);
        Assert.Equal((1, 1, 1), (specific.Authenticate, specific.Challenge, specific.Forbid));
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode); // the whm handler itself never answered
    }

    [Fact]
    public async Task ForwardAuthenticate_SendsOnlyAuthenticate()
    {
        var (context, specific) = Build(o => o.ForwardAuthenticate = "specific");

        Assert.True((await context.AuthenticateAsync(WhmTokenDefaults.AuthenticationScheme)).Succeeded);
        await context.ChallengeAsync(WhmTokenDefaults.AuthenticationScheme);

        Assert.Equal((1, 0, 0), (specific.Authenticate, specific.Challenge, specific.Forbid));
        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode); // whm's own challenge
        Assert.Equal("whm", context.Response.Headers.WWWAuthenticate.ToString());
    }

    [Fact]
    public async Task ForwardChallenge_SendsOnlyTheChallenge()
    {
        var (context, specific) = Build(o => o.ForwardChallenge = "specific");

        var result = await context.AuthenticateAsync(WhmTokenDefaults.AuthenticationScheme);
        await context.ChallengeAsync(WhmTokenDefaults.AuthenticationScheme);

        Assert.False(result.Succeeded); // whm verified the (malformed) token itself
        Assert.Equal((0, 1, 0), (specific.Authenticate, specific.Challenge, specific.Forbid));
        Assert.False(context.Response.Headers.ContainsKey("WWW-Authenticate"));
    }

    [Fact]
    public async Task ForwardForbid_SendsOnlyForbid()
    {
        var (context, specific) = Build(o => o.ForwardForbid = "specific");

        await context.ForbidAsync(WhmTokenDefaults.AuthenticationScheme);

        Assert.Equal((0, 0, 1), (specific.Authenticate, specific.Challenge, specific.Forbid));
        Assert.NotEqual(StatusCodes.Status403Forbidden, context.Response.StatusCode);
    }

    [Fact]
    public async Task SpecificForward_WinsOverForwardDefault()
    {
        var (context, specific) = Build(o =>
        {
            o.ForwardDefault = "nowhere";
            o.ForwardAuthenticate = "specific";
            o.ForwardChallenge = "specific";
            o.ForwardForbid = "specific";
        });

        await context.AuthenticateAsync(WhmTokenDefaults.AuthenticationScheme);
        await context.ChallengeAsync(WhmTokenDefaults.AuthenticationScheme);
        await context.ForbidAsync(WhmTokenDefaults.AuthenticationScheme);

        Assert.Equal((1, 1, 1), (specific.Authenticate, specific.Challenge, specific.Forbid));
    }

    [Fact]
    public async Task ForwardDefaultSelector_PicksPerRequest_AndNullMeansWhmItself()
    {
        var (context, specific) = Build(o =>
            o.ForwardDefaultSelector = c => WhmAuthorization.IsWhm(c.Request.Headers.Authorization) ? null : "specific");

        var own = await context.AuthenticateAsync(WhmTokenDefaults.AuthenticationScheme);
        Assert.False(own.Succeeded);
        Assert.Equal(0, specific.Authenticate);

        context.Request.Headers.Authorization = "Basic cm9vdDpwYXNz";
        var forwarded = await context.AuthenticateAsync(WhmTokenDefaults.AuthenticationScheme);
        Assert.True(forwarded.Succeeded);
        Assert.Equal(1, specific.Authenticate);
    }
}
