using System.Net;
using System.Net.Sockets;
using ApiTokens.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Testing;

/// <summary>
/// Builds the one test host the test projects share: the library wired the way an app wires it
/// (<c>AddApiTokens</c>, a store and accounts on its builder, <c>AddAuthentication().AddWhmTokens()</c>,
/// <c>UseAuthentication</c>, <c>UseAuthorization</c>), with test doubles for time, hashing and the log.
/// Every knob has a default; hooks of the same kind run in the order they were added.
/// </summary>
/// <example>
/// <code>
/// await using var host = await new ApiTokensTestHostBuilder()
///     .ConfigureOptions(o => o.Cache.Enabled = false)
///     .ConfigureApp(app => app.MapGet("/ping", () => "pong").RequirePrivilege("list-accts"))
///     .StartAsync();
/// </code>
/// </example>
public sealed class ApiTokensTestHostBuilder
{
    /// <summary>Where the default clock starts: 2026-01-15 10:30 UTC.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);

    private readonly List<Action<ApiTokenOptions>> _options = [];
    private readonly List<Action<ApiTokensBuilder>> _apiTokens = [];
    private readonly List<Action<InMemoryAccountProvider>> _accountSeeds = [];
    private readonly List<Func<IServiceProvider, IApiTokenStore, IApiTokenStore>> _storeWrappers = [];
    private readonly List<Action<WhmTokenOptions>> _scheme = [];
    private readonly List<Action<IServiceCollection>> _services = [];
    private readonly List<Action<WebApplicationBuilder>> _webApplicationBuilder = [];
    private readonly List<Action<WebApplication>> _app = [];
    private DateTimeOffset _start = DefaultStart;
    private FakeTimeProvider? _time;
    private CountingHasher? _hasher;
    private CapturingLoggerProvider? _log;
    private LogLevel _minimumLogLevel = LogLevel.Debug;
    private Action<ApiTokensBuilder> _store = b => b.AddInMemoryStore();
    private Action<ApiTokensBuilder>? _accounts;
    private string? _schemeName = WhmTokenDefaults.AuthenticationScheme;
    private string? _defaultScheme;
    private IPAddress _listenAddress = IPAddress.Loopback;

    /// <summary>Starts the default clock (a fresh <see cref="FakeTimeProvider"/> per host) at <paramref name="start"/>.</summary>
    public ApiTokensTestHostBuilder StartingAt(DateTimeOffset start)
    {
        _start = start;
        return this;
    }

    /// <summary>Uses <paramref name="time"/> as the app's <see cref="TimeProvider"/> instead of a fresh one.</summary>
    public ApiTokensTestHostBuilder UseClock(FakeTimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        return this;
    }

    /// <summary>Uses <paramref name="hasher"/> instead of a fresh <see cref="CountingHasher"/> with its light test parameters.</summary>
    public ApiTokensTestHostBuilder UseHasher(CountingHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        _hasher = hasher;
        return this;
    }

    /// <summary>Captures the log in <paramref name="log"/> instead of a fresh <see cref="CapturingLoggerProvider"/>.</summary>
    public ApiTokensTestHostBuilder UseLog(CapturingLoggerProvider log)
    {
        ArgumentNullException.ThrowIfNull(log);
        _log = log;
        return this;
    }

    /// <summary>Sets the minimum level captured (default <see cref="LogLevel.Debug"/>).</summary>
    public ApiTokensTestHostBuilder WithMinimumLogLevel(LogLevel level)
    {
        _minimumLogLevel = level;
        return this;
    }

    /// <summary>Configures the core options passed to <c>AddApiTokens</c>.</summary>
    public ApiTokensTestHostBuilder ConfigureOptions(Action<ApiTokenOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _options.Add(configure);
        return this;
    }

    /// <summary>
    /// Chooses the store on the <see cref="ApiTokensBuilder"/> (for example an EF Core store) instead of the default
    /// <c>AddInMemoryStore()</c>. The last call wins.
    /// </summary>
    public ApiTokensTestHostBuilder UseStore(Action<ApiTokensBuilder> addStore)
    {
        ArgumentNullException.ThrowIfNull(addStore);
        _store = addStore;
        return this;
    }

    /// <summary>Uses the store <paramref name="factory"/> creates, registered with <paramref name="lifetime"/>. The last call wins.</summary>
    public ApiTokensTestHostBuilder UseStore(Func<IServiceProvider, IApiTokenStore> factory, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _store = b => b.Services.Add(ServiceDescriptor.Describe(typeof(IApiTokenStore), factory, lifetime));
        return this;
    }

    /// <summary>
    /// Wraps whichever store is registered (for example in a counting or failing decorator), keeping its lifetime.
    /// The first wrapper added is the innermost. The wrapped store is created by the wrapper's registration, so the
    /// container does not dispose it separately.
    /// </summary>
    public ApiTokensTestHostBuilder WrapStore(Func<IServiceProvider, IApiTokenStore, IApiTokenStore> wrap)
    {
        ArgumentNullException.ThrowIfNull(wrap);
        _storeWrappers.Add(wrap);
        return this;
    }

    /// <summary>Seeds the default in-memory accounts (<c>AddInMemoryAccounts</c>); the host exposes them as <c>Accounts</c>.</summary>
    public ApiTokensTestHostBuilder SeedAccounts(Action<InMemoryAccountProvider> seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        _accountSeeds.Add(seed);
        return this;
    }

    /// <summary>
    /// Chooses the account provider on the <see cref="ApiTokensBuilder"/> (for example <c>AddAccountProvider&lt;T&gt;()</c>)
    /// instead of the default in-memory accounts. The last call wins; seeds are then ignored.
    /// </summary>
    public ApiTokensTestHostBuilder UseAccounts(Action<ApiTokensBuilder> addAccounts)
    {
        ArgumentNullException.ThrowIfNull(addAccounts);
        _accounts = addAccounts;
        return this;
    }

    /// <summary>
    /// Runs <paramref name="configure"/> on the <see cref="ApiTokensBuilder"/> after the store and accounts are chosen: the
    /// extension point for package knobs such as <c>AddPage()</c>, <c>AddRedisBackplane(...)</c> or <c>AddAuditSink&lt;T&gt;()</c>.
    /// </summary>
    public ApiTokensTestHostBuilder ConfigureApiTokens(Action<ApiTokensBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _apiTokens.Add(configure);
        return this;
    }

    /// <summary>Configures the whm scheme's options (the scheme is on by default).</summary>
    public ApiTokensTestHostBuilder ConfigureScheme(Action<WhmTokenOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _scheme.Add(configure);
        return this;
    }

    /// <summary>
    /// Registers the whm scheme under <paramref name="schemeName"/> (and makes it the default scheme, unless
    /// <see cref="WithDefaultScheme"/> chose another).
    /// </summary>
    public ApiTokensTestHostBuilder WithSchemeName(string schemeName)
    {
        ArgumentException.ThrowIfNullOrEmpty(schemeName);
        _schemeName = schemeName;
        return this;
    }

    /// <summary>
    /// Makes <paramref name="scheme"/> the app's default authentication scheme instead of the whm scheme, which stays
    /// registered under its name. The host registers <paramref name="scheme"/> itself in <see cref="ConfigureServices"/>
    /// (for example a policy scheme that forwards to a cookie or to the whm scheme).
    /// </summary>
    public ApiTokensTestHostBuilder WithDefaultScheme(string scheme)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        _defaultScheme = scheme;
        return this;
    }

    /// <summary>Leaves the whm scheme out: the app still has authentication and authorization, with no scheme of ours.</summary>
    public ApiTokensTestHostBuilder WithoutScheme()
    {
        _schemeName = null;
        return this;
    }

    /// <summary>Adds or replaces services after the library is registered.</summary>
    public ApiTokensTestHostBuilder ConfigureServices(Action<IServiceCollection> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _services.Add(configure);
        return this;
    }

    /// <summary>Configures the <see cref="WebApplicationBuilder"/> (configuration, environment) before anything is registered.</summary>
    public ApiTokensTestHostBuilder ConfigureWebApplicationBuilder(Action<WebApplicationBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _webApplicationBuilder.Add(configure);
        return this;
    }

    /// <summary>Maps endpoints or adds middleware after <c>UseAuthentication</c> and <c>UseAuthorization</c>.</summary>
    public ApiTokensTestHostBuilder ConfigureApp(Action<WebApplication> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _app.Add(configure);
        return this;
    }

    /// <summary>Listens on <paramref name="address"/> (default <see cref="IPAddress.Loopback"/>; use <see cref="IPAddress.IPv6Loopback"/> for IPv6).</summary>
    public ApiTokensTestHostBuilder ListenOn(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        _listenAddress = address;
        return this;
    }

    /// <summary>Listens on <paramref name="address"/>, an IP literal such as <c>127.0.0.1</c> or <c>::1</c>.</summary>
    public ApiTokensTestHostBuilder ListenOn(string address)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        return ListenOn(IPAddress.Parse(address));
    }

    /// <summary>
    /// Builds the same services without the web server and without authentication (the scheme and
    /// <see cref="ConfigureScheme"/> need the app): for manager and store tests. Options are validated here, as an app
    /// validates them at start.
    /// </summary>
    public ApiTokensTestServices BuildServices()
    {
        var doubles = CreateDoubles();
        var services = new ServiceCollection();
        Register(services, doubles, web: false);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        try
        {
            foreach (var validator in provider.GetServices<IStartupValidator>())
            {
                validator.Validate();
            }
        }
        catch
        {
            provider.Dispose();
            throw;
        }

        return new ApiTokensTestServices(provider, doubles.Time, doubles.Hasher, doubles.Log);
    }

    /// <summary>Builds the app on Kestrel at the listen address, port 0, starts it and returns the host with a client to it.</summary>
    public async Task<ApiTokensTestHost> StartAsync()
    {
        var doubles = CreateDoubles();
        var builder = WebApplication.CreateSlimBuilder();
        foreach (var configure in _webApplicationBuilder)
        {
            configure(builder);
        }

        var host = _listenAddress.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{_listenAddress}]" : _listenAddress.ToString();
        builder.WebHost.UseKestrel().UseUrls($"http://{host}:0");
        builder.Host.UseDefaultServiceProvider(o =>
        {
            o.ValidateScopes = true;
            o.ValidateOnBuild = true;
        });
        Register(builder.Services, doubles, web: true);

        var app = builder.Build();
        try
        {
            app.UseAuthentication();
            app.UseAuthorization();
            foreach (var configure in _app)
            {
                configure(app);
            }

            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ApiTokensTestHost(app, new HttpClient { BaseAddress = new Uri(address) }, doubles.Time, doubles.Hasher, doubles.Log);
    }

    private (FakeTimeProvider Time, CountingHasher Hasher, CapturingLoggerProvider Log) CreateDoubles() =>
        (_time ?? new FakeTimeProvider(_start), _hasher ?? new CountingHasher(), _log ?? new CapturingLoggerProvider());

    private void Register(IServiceCollection services, (FakeTimeProvider Time, CountingHasher Hasher, CapturingLoggerProvider Log) doubles, bool web)
    {
        var log = doubles.Log;
        services.AddLogging(l => l.ClearProviders().AddProvider(log).SetMinimumLevel(_minimumLogLevel));

        // The library registers its defaults with TryAdd, so the test doubles go first.
        services.AddSingleton<TimeProvider>(doubles.Time);
        services.AddSingleton<IApiTokenHasher>(doubles.Hasher);

        var tokens = services.AddApiTokens(o =>
        {
            foreach (var configure in _options)
            {
                configure(o);
            }
        });
        _store(tokens);
        if (_accounts is not null)
        {
            _accounts(tokens);
        }
        else
        {
            tokens.AddInMemoryAccounts(p =>
            {
                foreach (var seed in _accountSeeds)
                {
                    seed(p);
                }
            });
        }

        foreach (var configure in _apiTokens)
        {
            configure(tokens);
        }

        if (_schemeName is not null && web)
        {
            services.AddAuthentication(_defaultScheme ?? _schemeName).AddWhmTokens(_schemeName, o =>
            {
                foreach (var configure in _scheme)
                {
                    configure(o);
                }
            });
        }
        else if (web)
        {
            if (_defaultScheme is not null)
            {
                services.AddAuthentication(_defaultScheme);
            }
            else
            {
                services.AddAuthentication();
            }

            services.AddAuthorization();
        }

        foreach (var configure in _services)
        {
            configure(services);
        }

        foreach (var wrap in _storeWrappers)
        {
            WrapRegisteredStore(services, wrap);
        }
    }

    private static void WrapRegisteredStore(IServiceCollection services, Func<IServiceProvider, IApiTokenStore, IApiTokenStore> wrap)
    {
        var index = -1;
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(IApiTokenStore) && !services[i].IsKeyedService)
            {
                index = i;
            }
        }

        if (index < 0)
        {
            throw new InvalidOperationException("WrapStore found no IApiTokenStore to wrap: choose a store with UseStore.");
        }

        var inner = services[index];
        services[index] = ServiceDescriptor.Describe(typeof(IApiTokenStore), sp => wrap(sp, CreateStore(sp, inner)), inner.Lifetime);
    }

    private static IApiTokenStore CreateStore(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance as IApiTokenStore
        ?? (IApiTokenStore?)descriptor.ImplementationFactory?.Invoke(services)
        ?? (IApiTokenStore)ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);
}
