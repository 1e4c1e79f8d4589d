using System.Security.Claims;
using ApiTokens.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.Legacy;

/// <summary>
/// The shared Kestrel test host with the in-memory store behind <see cref="CallCountingStore"/> (every store call counted, the
/// legacy question included), accounts root (all) and reseller, and the library's <c>tokens</c> CLI run against the running
/// app's own services, as an app that offers the command in-process would.
/// </summary>
internal sealed class LegacyHost : IAsyncDisposable
{
    private LegacyHost(ApiTokensTestHost host) => Host = host;

    public ApiTokensTestHost Host { get; }

    public CallCountingStore Store => Host.Services.GetRequiredService<CallCountingStore>();

    public InMemoryApiTokenStore Stored => Host.Services.GetRequiredService<InMemoryApiTokenStore>();

    public ApiTokenAccount Root => Host.Accounts.FindByUserNameAsync("root", CancellationToken.None).AsTask().Result!;

    public static async Task<LegacyHost> StartAsync(Action<ApiTokensTestHostBuilder>? configure = null)
    {
        var builder = new ApiTokensTestHostBuilder()
            .SeedAccounts(a =>
            {
                a.Add("root", "all");
                a.Add("reseller", "list-accts", "manage-api-tokens");
            })
            .WrapStore((_, inner) => new CallCountingStore(inner))
            .ConfigureServices(s => s.AddSingleton(sp => (CallCountingStore)sp.GetRequiredService<IApiTokenStore>()))
            .ConfigureApp(app =>
            {
                app.MapGet("/whoami", (ClaimsPrincipal user) => Results.Json(new
                {
                    name = user.Identity!.Name,
                    token = user.FindFirst(WhmClaimTypes.TokenName)?.Value,
                    privileges = user.FindAll(WhmClaimTypes.Privilege).Select(c => c.Value).ToArray(),
                })).RequireAuthorization();
                app.MapGet("/json-api/listaccts", () => "accounts").RequirePrivilege("list-accts");
                app.MapGet("/json-api/killacct", () => "killed").RequirePrivilege("kill-acct");
            });
        configure?.Invoke(builder);
        return new LegacyHost(await builder.StartAsync());
    }

    /// <summary>Runs <c>tokens …</c> against the running app; <paramref name="stdin"/> is standard input.</summary>
    public async Task<(int? ExitCode, string StdOut, string StdErr)> CliAsync(string? stdin, params string[] args)
    {
        using var input = new StringReader(stdin ?? string.Empty);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Host.App.RunApiTokensCommandsAsync(args, input, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Every stored row of <paramref name="accountId"/>, read around the counting wrapper.</summary>
    public async Task<IReadOnlyList<ApiToken>> RowsAsync(string accountId) =>
        (await Stored.ListAsync(accountId, ApiTokenQuery.All, CancellationToken.None)).Items;

    public Task<HttpResponseMessage> GetAsync(string path, string? authorization) => Host.GetAsync(path, authorization);

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>Wraps a store and counts every call, by kind; forwards everything (the legacy question too).</summary>
internal sealed class CallCountingStore(IApiTokenStore inner) : IApiTokenStore
{
    private int _bySelector;
    private int _other;
    private int _legacyQuestions;

    /// <summary>Every call of any kind.</summary>
    public int Calls => Volatile.Read(ref _bySelector) + Volatile.Read(ref _other) + Volatile.Read(ref _legacyQuestions);

    public int FindBySelectorCalls => Volatile.Read(ref _bySelector);

    public int LegacyQuestions => Volatile.Read(ref _legacyQuestions);

    public void Reset()
    {
        Interlocked.Exchange(ref _bySelector, 0);
        Interlocked.Exchange(ref _other, 0);
        Interlocked.Exchange(ref _legacyQuestions, 0);
    }

    public Task<ApiTokenStoreResult> CreateAsync(ApiToken token, CancellationToken cancellationToken) => Count(ref _other, inner.CreateAsync(token, cancellationToken));

    public Task<ApiToken?> FindBySelectorAsync(string accountId, string selector, CancellationToken cancellationToken) =>
        Count(ref _bySelector, inner.FindBySelectorAsync(accountId, selector, cancellationToken));

    public Task<ApiToken?> FindByNameAsync(string accountId, string name, CancellationToken cancellationToken) =>
        Count(ref _other, inner.FindByNameAsync(accountId, name, cancellationToken));

    public Task<ApiTokenPage> ListAsync(string accountId, ApiTokenQuery query, CancellationToken cancellationToken) =>
        Count(ref _other, inner.ListAsync(accountId, query, cancellationToken));

    public Task<ApiTokenStoreResult> UpdateAsync(ApiToken token, string expectedConcurrencyStamp, CancellationToken cancellationToken) =>
        Count(ref _other, inner.UpdateAsync(token, expectedConcurrencyStamp, cancellationToken));

    public Task<bool> DeleteAsync(string accountId, Guid tokenId, CancellationToken cancellationToken) =>
        Count(ref _other, inner.DeleteAsync(accountId, tokenId, cancellationToken));

    public Task<int> DeleteAllAsync(string accountId, CancellationToken cancellationToken) => Count(ref _other, inner.DeleteAllAsync(accountId, cancellationToken));

    public Task<bool> AnySelectorStartsWithAsync(string prefix, CancellationToken cancellationToken) =>
        Count(ref _legacyQuestions, inner.AnySelectorStartsWithAsync(prefix, cancellationToken));

    private static T Count<T>(ref int counter, T result)
    {
        Interlocked.Increment(ref counter);
        return result;
    }
}
