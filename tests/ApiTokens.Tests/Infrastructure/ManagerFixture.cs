using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.Tests.Infrastructure;

/// <summary>A manager over the in-memory store and accounts, with fake time and light hashing.</summary>
public sealed class ManagerFixture : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;
    private readonly IServiceScope _scope;

    public ManagerFixture(Action<ApiTokenOptions>? configure = null, IApiTokenStore? store = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<IApiTokenHasher>(Hasher);
        services.AddSingleton<IApiTokenAuditSink>(Audit);
        if (store is not null)
        {
            services.AddSingleton(store);
        }

        services.AddApiTokens(o => configure?.Invoke(o))
            .AddInMemoryStore()
            .AddInMemoryAccounts();
        _provider = services.BuildServiceProvider(validateScopes: true);
        _scope = _provider.CreateScope();
        Root = Accounts.Add("root", "all");
        Reseller = Accounts.Add("reseller", "list-accts", "create-acct", "manage-api-tokens", "basic-whm-functions");
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public CountingHasher Hasher { get; } = new();

    public RecordingAuditSink Audit { get; } = new();

    public IServiceProvider Services => _scope.ServiceProvider;

    public ApiTokenManager Manager => Services.GetRequiredService<ApiTokenManager>();

    public IApiTokenStore Store => Services.GetRequiredService<IApiTokenStore>();

    public InMemoryAccountProvider Accounts => Services.GetRequiredService<InMemoryAccountProvider>();

    public ApiTokenAccount Root { get; }

    public ApiTokenAccount Reseller { get; }

    public async Task<CreatedApiToken> CreateAsync(ApiTokenAccount owner, string name, params string[]? acls)
    {
        var result = await Manager.CreateAsync(owner.Id, new ApiTokenCreateRequest { Name = name, Acls = acls is { Length: 0 } ? null : acls });
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value;
    }

    public void Dispose()
    {
        _scope.Dispose();
        _provider.Dispose();
    }
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
