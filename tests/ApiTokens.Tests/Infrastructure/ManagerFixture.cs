using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Tests.Infrastructure;

/// <summary>
/// The shared test services (<see cref="ApiTokensTestHostBuilder.BuildServices"/>): a manager over the in-memory store
/// (or <c>store</c>) and accounts, with fake time, light hashing and a recording audit sink.
/// </summary>
public sealed class ManagerFixture : IDisposable
{
    public static readonly DateTimeOffset Start = ApiTokensTestHostBuilder.DefaultStart;

    private readonly ApiTokensTestServices _services;

    public ManagerFixture(Action<ApiTokenOptions>? configure = null, IApiTokenStore? store = null)
    {
        var builder = new ApiTokensTestHostBuilder()
            .ConfigureServices(s => s.AddSingleton<IApiTokenAuditSink>(Audit));
        if (configure is not null)
        {
            builder.ConfigureOptions(configure);
        }

        if (store is not null)
        {
            builder.UseStore(_ => store);
        }

        _services = builder.BuildServices();
        Root = Accounts.Add("root", "all");
        Reseller = Accounts.Add("reseller", "list-accts", "create-acct", "manage-api-tokens", "basic-whm-functions");
    }

    public FakeTimeProvider Time => _services.Time;

    public CountingHasher Hasher => _services.Hasher;

    public RecordingAuditSink Audit { get; } = new();

    public IServiceProvider Services => _services.ScopedServices;

    public ApiTokenManager Manager => _services.Manager;

    public IApiTokenStore Store => _services.Store;

    public InMemoryAccountProvider Accounts => _services.Accounts;

    public ApiTokenAccount Root { get; }

    public ApiTokenAccount Reseller { get; }

    public Task<CreatedApiToken> CreateAsync(ApiTokenAccount owner, string name, params string[]? acls) =>
        _services.CreateTokenAsync(owner, name, acls is { Length: 0 } ? null : acls);

    public void Dispose() => _services.Dispose();
}

public sealed class RecordingAuditSink : IApiTokenAuditSink
{
    private readonly List<ApiTokenAuditEvent> _events = [];

    public IReadOnlyList<ApiTokenAuditEvent> Events
    {
        get
        {
            lock (_events)
            {
                return _events.ToArray();
            }
        }
    }

    public ValueTask WriteAsync(ApiTokenAuditEvent auditEvent, CancellationToken cancellationToken)
    {
        lock (_events)
        {
            _events.Add(auditEvent);
        }

        return default;
    }
}
