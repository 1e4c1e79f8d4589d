using System.Net;
using System.Security.Claims;
using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>Rotation through the EF Core store on SQLite (a real file).</summary>
public sealed class RotationSqliteTests(SqliteHarness harness) : RotationStoreTests<SqliteHarness>(harness), IClassFixture<SqliteHarness>;

/// <summary>
/// A rotation with a grace period through the EF Core store, over HTTP on Kestrel with the verify cache off (every request reads
/// the database): the old value is found by its previous selector and works until the grace end, also after a restart; the
/// new value works at once; a second rotation or no grace period leaves no previous value in the row.
/// </summary>
public abstract class RotationStoreTests<THarness>(THarness harness)
    where THarness : EfHarness
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>One account per test (the database is the class's), shared by every host of the test.</summary>
    private readonly InMemoryAccountProvider _accounts = new();

    private readonly FakeTimeProvider _time = new(ApiTokensTestHostBuilder.DefaultStart);

    private Task<ApiTokensTestHost> StartAsync() => new ApiTokensTestHostBuilder()
        .UseClock(_time)
        .UseStore(harness.AddStore)
        .UseAccounts(b => b.Services.AddSingleton(_accounts).AddSingleton<IApiTokenAccountProvider>(_accounts))
        .ConfigureOptions(o => o.Cache.Enabled = false)
        .ConfigureApp(app => app.MapGet("/whoami", (ClaimsPrincipal user) => user.Identity!.Name).RequireAuthorization())
        .StartAsync();

    private static async Task<HttpStatusCode> StatusAsync(ApiTokensTestHost host, ApiTokenAccount owner, string token)
    {
        using var response = await host.GetAsync("/whoami", owner.UserName, token);
        return response.StatusCode;
    }

    private ApiTokenAccount NewAccount() => _accounts.Add("u" + Guid.NewGuid().ToString("N")[..12], "all");

    [SkippableFact]
    public async Task TheOldValue_IsFoundByItsPreviousSelector_AndWorksUntilTheGraceEnd_AlsoAfterARestart()
    {
        var owner = NewAccount();
        string old;
        RotatedApiToken rotated;
        await using (var host = await StartAsync())
        {
            old = (await host.CreateTokenAsync(owner, "deploy", ["list-accts"])).PlaintextToken;
            var result = await host.Manager.RotateAsync(owner.Id, "deploy", Hour);
            Assert.True(result.Succeeded, result.Error?.Message);
            rotated = result.Value;
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, owner, old));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, owner, rotated.PlaintextToken));
        }

        var row = Assert.Single(await harness.ReadRawRowsAsync(owner.Id));
        Assert.Contains("previous_selector=" + old[..8] + "|", row, StringComparison.Ordinal);
        Assert.Contains("selector=" + rotated.PlaintextToken[..8] + "|", row, StringComparison.Ordinal);
        Assert.DoesNotContain(old[8..], row, StringComparison.Ordinal);
        Assert.DoesNotContain(rotated.PlaintextToken[8..], row, StringComparison.Ordinal);

        await using (var restarted = await StartAsync())
        {
            _time.Advance(Hour - TimeSpan.FromSeconds(1));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(restarted, owner, old));
            var stored = (await restarted.Manager.FindByNameAsync(owner.Id, "deploy"))!;
            Assert.Equal(["list-accts"], stored.Acls);
            Assert.Equal(ApiTokensTestHostBuilder.DefaultStart + Hour, stored.PreviousSecretExpiresAt);

            _time.Advance(TimeSpan.FromSeconds(1));
            restarted.Hasher.Reset();
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(restarted, owner, old));
            Assert.Equal(0, restarted.Hasher.VerifyCalls);
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(restarted, owner, rotated.PlaintextToken));
        }
    }

    [SkippableFact]
    public async Task RotatingAgain_OrWithoutAGracePeriod_LeavesOnlyTheValueJustReplacedOrNone()
    {
        var owner = NewAccount();
        await using var host = await StartAsync();
        var first = (await host.CreateTokenAsync(owner, "deploy")).PlaintextToken;
        var second = (await host.Manager.RotateAsync(owner.Id, "deploy", Hour)).Value!.PlaintextToken;
        var third = (await host.Manager.RotateAsync(owner.Id, "deploy", Hour)).Value!.PlaintextToken;

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(host, owner, first));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, owner, second));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, owner, third));

        var fourth = (await host.Manager.RotateAsync(owner.Id, "deploy", TimeSpan.Zero)).Value!.PlaintextToken;

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(host, owner, second));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(host, owner, third));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, owner, fourth));
        var row = Assert.Single(await harness.ReadRawRowsAsync(owner.Id));
        Assert.Contains("previous_selector=|", row, StringComparison.Ordinal);
        Assert.Contains("previous_secret_hash=|", row, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AnotherTokenOfTheAccount_CannotBeFoundByTheOldValue_AndTheOldValueOfOneAccountIsNotAnothers()
    {
        var owner = NewAccount();
        var other = NewAccount();
        await using var host = await StartAsync();
        var old = (await host.CreateTokenAsync(owner, "deploy")).PlaintextToken;
        await host.CreateTokenAsync(owner, "other");
        await host.Manager.RotateAsync(owner.Id, "deploy", Hour);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(host, other, old));
        var found = await host.Store.FindBySelectorAsync(owner.Id, old[..8], CancellationToken.None);
        Assert.Equal("deploy", found?.Name);
        Assert.Equal(old[..8], found?.PreviousSelector);
    }
}
