using System.Globalization;
using System.Security.Cryptography;
using ApiTokens.EntityFrameworkCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Benchmarks.Infrastructure;

/// <summary>
/// The <c>whm</c> scheme on the EF Core store over a real SQLite file in the temp folder. The benchmark token is
/// created through the store; filler rows are bulk-inserted in one transaction with one precomputed hash (the
/// store's size is what is measured, not Argon2), spread over 1,000 filler accounts like the in-memory scale case.
/// </summary>
public sealed class SqliteAuthHost : IDisposable
{
    private readonly ServiceProvider _provider;
    private readonly string _path;

    public SqliteAuthHost(Argon2HashingOptions hashing, int rows, bool fillCache)
    {
        _path = Path.Combine(Path.GetTempPath(), $"apitokens-bench-{Guid.NewGuid():N}.db");
        Hasher = new CountingHasher(hashing);
        var connectionString = $"Data Source={_path}";
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IApiTokenHasher>(Hasher);
        services.AddApiTokens(o => o.Hashing = hashing)
            .AddEntityFrameworkStore(o => o.UseSqlite(connectionString))
            .AddInMemoryAccounts();
        services.AddAuthentication(AuthHost.Whm).AddWhmTokens();
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        ScopeFactory = _provider.GetRequiredService<IServiceScopeFactory>();
        Cache = _provider.GetRequiredService<VerifyCache>();
        var accounts = _provider.GetRequiredService<InMemoryAccountProvider>();
        var format = _provider.GetRequiredService<ApiTokenFormat>();

        Account = accounts.Add(AuthHost.UserName, "all");
        (Token, var generated) = AuthHost.NewBenchToken(Account, format, Hasher);
        using (var scope = ScopeFactory.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ApiTokensDbContext>();
            db.Database.EnsureApiTokensCreatedAsync().GetAwaiter().GetResult();
            var created = scope.ServiceProvider.GetRequiredService<IApiTokenStore>().CreateAsync(Token, CancellationToken.None).GetAwaiter().GetResult();
            if (created != ApiTokenStoreResult.Success)
            {
                throw new InvalidOperationException($"Creating the benchmark token failed: {created}.");
            }
        }

        WhmHeader = $"whm {AuthHost.UserName}:{generated.Value}";
        BulkInsert(connectionString, rows - 1);
        if (fillCache)
        {
            FillCache(rows - 1);
        }

        RowCount = CountRows(connectionString);
    }

    public IServiceScopeFactory ScopeFactory { get; }

    public CountingHasher Hasher { get; }

    internal VerifyCache Cache { get; }

    public ApiTokenAccount Account { get; }

    public ApiToken Token { get; }

    public string WhmHeader { get; }

    public long RowCount { get; }

    /// <summary>Authenticates <paramref name="context"/> with the <c>whm</c> scheme in a new request scope.</summary>
    public async Task<AuthenticateResult> AuthenticateAsync(HttpContext context)
    {
        await using var scope = ScopeFactory.CreateAsyncScope();
        context.RequestServices = scope.ServiceProvider;
        var service = scope.ServiceProvider.GetRequiredService<IAuthenticationService>();
        return await service.AuthenticateAsync(context, AuthHost.Whm).ConfigureAwait(false);
    }

    /// <summary>The store alone: one selector lookup in a new scope (a new DbContext, as per request).</summary>
    public async Task<ApiToken?> FindAsync()
    {
        await using var scope = ScopeFactory.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IApiTokenStore>();
        return await store.FindBySelectorAsync(Account.Id, Token.Selector, CancellationToken.None).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _provider.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(_path + suffix);
        }
    }

    private void BulkInsert(string connectionString, int count)
    {
        if (count <= 0)
        {
            return;
        }

        var hash = Hasher.Hash("FILLERSECRETFILLERSECRET");
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {ApiTokensModelNames.Table} (id, account_id, name, selector, secret_hash, created_at, expires_at, acls, whitelist_ips, concurrency_stamp) " +
            "VALUES ($id, $account, $name, $selector, $hash, $created, NULL, $acls, NULL, 'stamp')";
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var account = command.Parameters.Add("$account", SqliteType.Text);
        var name = command.Parameters.Add("$name", SqliteType.Text);
        var selector = command.Parameters.Add("$selector", SqliteType.Text);
        command.Parameters.AddWithValue("$hash", hash);
        command.Parameters.AddWithValue("$created", created);
        command.Parameters.AddWithValue("$acls", $"[\"{AuthHost.Privilege}\"]");
        command.Prepare();
        for (var i = 0; i < count; i++)
        {
            var s = i.ToString("D8", CultureInfo.InvariantCulture);
            id.Value = Guid.NewGuid();
            account.Value = FillerAccount(i);
            name.Value = "t" + s;
            selector.Value = s;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private void FillCache(int count)
    {
        var owner = new ApiTokenAccount("filler-owner", "filler", isSuspended: false, ["all"]);
        var cacheable = (int)Math.Min(count, Cache.Options.SizeLimit - 1);
        var created = DateTimeOffset.UtcNow;
        var now = Cache.NowTicks;
        for (var i = 0; i < cacheable; i++)
        {
            var selector = i.ToString("D8", CultureInfo.InvariantCulture);
            var filler = new ApiToken
            {
                Id = Guid.NewGuid(),
                AccountId = FillerAccount(i),
                Name = "t" + selector,
                Selector = selector,
                SecretHash = "x",
                CreatedAt = created,
                Acls = [AuthHost.Privilege],
                ConcurrencyStamp = "stamp",
            };
            Cache.Set(string.Concat(filler.AccountId, ":", selector), new VerifiedToken(owner, filler, RandomNumberGenerator.GetBytes(32), 0, Cache.GlobalGeneration, now));
        }
    }

    private static string FillerAccount(int i) => "filler-" + (i % 1000).ToString(CultureInfo.InvariantCulture);

    private static long CountRows(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {ApiTokensModelNames.Table}";
        return (long)command.ExecuteScalar()!;
    }
}
