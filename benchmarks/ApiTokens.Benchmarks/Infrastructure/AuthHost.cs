using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using ApiTokens.Authentication;
using idunno.Authentication.Basic;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ApiTokens.Benchmarks.Infrastructure;

/// <summary>
/// One service provider with every scheme measured side by side: <c>whm</c>, JWT bearer (HS256), ASP.NET Core's
/// bearer token handler and idunno basic auth. Each authenticates the same user with the same claims
/// (name, id, token name, one privilege), so the figures compare the handlers and nothing else.
/// </summary>
public sealed class AuthHost : IDisposable
{
    public const string Jwt = "jwt";
    public const string Bearer = "bearer";
    public const string Basic = "basic";
    public const string Whm = WhmTokenDefaults.AuthenticationScheme;
    public const string UserName = "root";
    public const string Privilege = "list-accts";

    private static readonly byte[] BasicPassword = Encoding.UTF8.GetBytes("correct horse battery staple 42");

    private readonly ServiceProvider _provider;

    public AuthHost(Argon2HashingOptions hashing, int fillerTokens = 0, bool fillCache = false, bool usageTracking = true)
    {
        Hasher = new CountingHasher(hashing);
        var jwtKey = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IApiTokenHasher>(Hasher);
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddApiTokens(o =>
        {
            o.Hashing = hashing;
            o.Usage.Enabled = usageTracking;
        }).AddInMemoryStore().AddInMemoryAccounts();
        services.AddAuthentication(Whm)
            .AddWhmTokens()
            .AddJwtBearer(Jwt, o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = "bench",
                    ValidAudience = "bench",
                    IssuerSigningKey = jwtKey,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    NameClaimType = "name",
                };
            })
            .AddBearerToken(Bearer)
            .AddBasic(Basic, o =>
            {
                o.AllowInsecureProtocol = true;
                o.Events = new BasicAuthenticationEvents { OnValidateCredentials = ValidateBasic };
            });

        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        ScopeFactory = _provider.GetRequiredService<IServiceScopeFactory>();
        Cache = _provider.GetRequiredService<VerifyCache>();
        Store = _provider.GetRequiredService<InMemoryApiTokenStore>();
        Accounts = _provider.GetRequiredService<InMemoryAccountProvider>();
        Format = _provider.GetRequiredService<ApiTokenFormat>();

        Account = Accounts.Add(UserName, "all");
        (Token, var generated) = NewBenchToken(Account, Format, Hasher);
        Check(Store.CreateAsync(Token, CancellationToken.None).GetAwaiter().GetResult() == ApiTokenStoreResult.Success);
        WhmHeader = $"whm {UserName}:{generated.Value}";
        Seed(fillerTokens, fillCache);

        JwtHeader = "Bearer " + new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "bench",
            Audience = "bench",
            Expires = DateTime.UtcNow.AddHours(1),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = Account.Id,
                ["name"] = UserName,
                [WhmClaimTypes.TokenName] = "bench",
                [WhmClaimTypes.Privilege] = Privilege,
            },
            SigningCredentials = new SigningCredentials(jwtKey, SecurityAlgorithms.HmacSha256),
        });

        var bearerOptions = _provider.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(Bearer);
        var ticket = new AuthenticationTicket(SamplePrincipal(Bearer), new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddHours(1) }, Bearer);
        BearerHeader = "Bearer " + bearerOptions.BearerTokenProtector.Protect(ticket);
        BasicHeader = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UserName}:{Encoding.UTF8.GetString(BasicPassword)}"));
    }

    public IServiceScopeFactory ScopeFactory { get; }

    public IServiceProvider Services => _provider;

    public CountingHasher Hasher { get; }

    internal VerifyCache Cache { get; }

    public InMemoryApiTokenStore Store { get; }

    public InMemoryAccountProvider Accounts { get; }

    public ApiTokenFormat Format { get; }

    public ApiTokenAccount Account { get; }

    public ApiToken Token { get; }

    public string WhmHeader { get; }

    public string JwtHeader { get; }

    public string BearerHeader { get; }

    public string BasicHeader { get; }

    /// <summary>A request as the server would see it: HTTPS, a loopback peer, and the given Authorization header.</summary>
    public static DefaultHttpContext CreateContext(string? authorization)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "https";
        context.Request.Method = "GET";
        context.Request.Path = "/json-api/listaccts";
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        return context;
    }

    /// <summary>Authenticates <paramref name="context"/> with <paramref name="scheme"/> in a new request scope.</summary>
    public async Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string scheme)
    {
        await using var scope = ScopeFactory.CreateAsyncScope();
        context.RequestServices = scope.ServiceProvider;
        var service = scope.ServiceProvider.GetRequiredService<IAuthenticationService>();
        return await service.AuthenticateAsync(context, scheme).ConfigureAwait(false);
    }

    /// <summary>Throws unless the result is a success (used once in setup so a broken peer cannot look fast).</summary>
    public static void EnsureSucceeded(AuthenticateResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{what} did not authenticate: {result.Failure?.Message ?? "no result"}");
        }
    }

    public void Dispose() => _provider.Dispose();

    private static ClaimsPrincipal SamplePrincipal(string authenticationType) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, UserName),
            new Claim(ClaimTypes.NameIdentifier, "0"),
            new Claim(WhmClaimTypes.TokenName, "bench"),
            new Claim(WhmClaimTypes.Privilege, Privilege),
        ],
        authenticationType,
        ClaimTypes.Name,
        ClaimTypes.Role));

    private static Task ValidateBasic(ValidateCredentialsContext context)
    {
        // What a typical basic-auth validator does: look the user up, compare the password in fixed time.
        var users = BasicUsers.Value;
        if (users.TryGetValue(context.Username, out var expected)
            && CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(context.Password)))
        {
            context.Principal = SamplePrincipal(context.Scheme.Name);
            context.Success();
        }

        return Task.CompletedTask;
    }

    private static readonly Lazy<Dictionary<string, byte[]>> BasicUsers = new(() =>
        new Dictionary<string, byte[]>(StringComparer.Ordinal) { [UserName] = BasicPassword });

    private void Seed(int fillerTokens, bool fillCache)
    {
        if (fillerTokens <= 1)
        {
            return;
        }

        // Filler rows share one precomputed hash: the store's size is what is measured, not Argon2.
        var hash = Hasher.Hash("FILLERSECRETFILLERSECRET");
        var owner = new ApiTokenAccount("filler-owner", "filler", isSuspended: false, ["all"]);
        var cacheable = fillCache ? (int)Math.Min(fillerTokens - 1, Cache.Options.SizeLimit - 1) : 0;
        var created = DateTimeOffset.UtcNow;
        var now = Cache.NowTicks;
        for (var i = 0; i < fillerTokens - 1; i++)
        {
            var selector = i.ToString("D8", CultureInfo.InvariantCulture);
            var filler = new ApiToken
            {
                Id = Guid.NewGuid(),
                AccountId = "filler-" + (i % 1000).ToString(CultureInfo.InvariantCulture),
                Name = "t" + selector,
                Selector = selector,
                SecretHash = hash,
                CreatedAt = created,
                Acls = [Privilege],
                ConcurrencyStamp = "stamp",
            };
            Check(Store.CreateAsync(filler, CancellationToken.None).GetAwaiter().GetResult() == ApiTokenStoreResult.Success);
            if (i < cacheable)
            {
                Cache.Set(string.Concat(filler.AccountId, ":", selector), new VerifiedToken(owner, filler, RandomNumberGenerator.GetBytes(32), 0, Cache.GlobalGeneration, now));
            }
        }
    }

    private static void Check(bool condition)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Seeding the store failed.");
        }
    }

    /// <summary>The one token every authenticate benchmark presents: limited to <see cref="Privilege"/>, hashed by <paramref name="hasher"/>.</summary>
    internal static (ApiToken Token, GeneratedToken Generated) NewBenchToken(ApiTokens.ApiTokenAccount account, ApiTokenFormat format, IApiTokenHasher hasher)
    {
        var generated = format.Generate();
        var token = new ApiToken
        {
            Id = Guid.NewGuid(),
            AccountId = account.Id,
            Name = "bench",
            Selector = generated.Selector,
            SecretHash = hasher.Hash(generated.Secret),
            CreatedAt = DateTimeOffset.UtcNow,
            Acls = [Privilege],
            ConcurrencyStamp = Guid.NewGuid().ToString("N"),
        };
        return (token, generated);
    }
}
