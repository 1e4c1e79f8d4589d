using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Sodium.Tests;

/// <summary>
/// Switching an app's hasher, as an operator does: the same store, a restart with <c>AddSodiumHasher()</c> (and stronger
/// parameters), then scripts calling with <c>Authorization: whm user:token</c> over real HTTP.
/// </summary>
public sealed class UpgradeOnUseTests
{
    private const string Path = "/json-api/listaccts";

    [Fact]
    public async Task ATokenHashedByTheManagedHasherAtWeakerParameters_AuthenticatesWithSodium_AndItsHashIsRewritten()
    {
        var store = new InMemoryApiTokenStore();
        var root = new ApiTokenAccount("acct-root", "root", isSuspended: false, ["all"]);
        CreatedApiToken token;
        await using (var before = await Host(store, root).StartAsync())
        {
            token = await before.CreateTokenAsync(root, "deploy");
            Assert.Equal(1, before.Hasher.HashCalls);
        }

        var stored = (await store.FindByNameAsync(root.Id, "deploy", default))!;
        Assert.StartsWith("$argon2id$v=19$m=64,t=1,p=1$", stored.SecretHash, StringComparison.Ordinal);

        await using var after = await Host(store, root)
            .ConfigureOptions(o =>
            {
                o.Hashing.MemoryCost = 128;
                o.Hashing.TimeCost = 2;
            })
            .ConfigureApiTokens(b => b.AddSodiumHasher())
            .StartAsync();

        using (var response = await after.GetAsync(Path, "root", token.PlaintextToken))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("root", await response.Content.ReadAsStringAsync());
        }

        var upgraded = (await store.FindByNameAsync(root.Id, "deploy", default))!;
        Assert.StartsWith("$argon2id$v=19$m=128,t=2,p=1$", upgraded.SecretHash, StringComparison.Ordinal);
        Assert.Equal(0, after.Hasher.VerifyCalls + after.Hasher.HashCalls);

        // The rewritten hash is still one the managed hasher reads: switching back needs nothing either.
        var secret = token.PlaintextToken[8..];
        var managed = new Argon2ApiTokenHasher(HashFixtures.Light(memory: 128, time: 2));
        Assert.Equal(HashVerificationResult.Success, managed.Verify(upgraded.SecretHash, secret));

        // Verified again from the store (no cache): the new hash answers, and is not rewritten a second time.
        await after.Manager.AccountChangedAsync(root.Id);
        using (var again = await after.GetAsync(Path, "root", token.PlaintextToken))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        Assert.Equal(upgraded.SecretHash, (await store.FindByNameAsync(root.Id, "deploy", default))!.SecretHash);
        using var wrong = await after.GetAsync(Path, "root", token.PlaintextToken[..^1] + (token.PlaintextToken[^1] == 'A' ? "B" : "A"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task ATokenCreatedWithSodium_AuthenticatesAfterSwitchingBackToTheManagedHasher()
    {
        var store = new InMemoryApiTokenStore();
        var root = new ApiTokenAccount("acct-root", "root", isSuspended: false, ["all"]);
        CreatedApiToken token;
        await using (var sodium = await Host(store, root).ConfigureApiTokens(b => b.AddSodiumHasher()).StartAsync())
        {
            token = await sodium.CreateTokenAsync(root, "deploy");
            Assert.Equal(0, sodium.Hasher.HashCalls);
        }

        var hash = (await store.FindByNameAsync(root.Id, "deploy", default))!.SecretHash;
        await using var managed = await Host(store, root).StartAsync();

        using var response = await managed.GetAsync(Path, "root", token.PlaintextToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, managed.Hasher.VerifyCalls);
        Assert.Equal(hash, (await store.FindByNameAsync(root.Id, "deploy", default))!.SecretHash);
    }

    /// <summary>An app over <paramref name="store"/> (which outlives it) with <paramref name="root"/>; light Argon2 by default.</summary>
    private static ApiTokensTestHostBuilder Host(InMemoryApiTokenStore store, ApiTokenAccount root) =>
        new ApiTokensTestHostBuilder()
            .UseStore(_ => store)
            .SeedAccounts(p => p.Set(root))
            .ConfigureApp(app => app.MapGet(Path, (HttpContext c) => c.User.Identity!.Name!).RequirePrivilege("list-accts"));
}
