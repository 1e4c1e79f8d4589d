using System.Globalization;
using ApiTokens.Sodium;
using ApiTokens.Whm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ApiTokens.Benchmarks.Storm;

/// <summary>
/// <c>-- storm-node --db FILE --hasher managed|sodium</c>: the node that restarts, in a process of its own as in production (the
/// storm's clients run in the parent, so neither steals the other's thread pool). A real app: Kestrel on 127.0.0.1, the EF Core
/// store on the SQLite file, the whm scheme, and WHM's <c>/json-api/version</c> behind <c>basic-whm-functions</c> (the call the
/// issue's scripts make), every option at its default unless the environment sets it as configuration does (for example
/// <c>ApiTokens__Verification__HashQueueTimeout=00:00:01</c>). It prints <c>listening URL</c>, then serves until stdin closes.
/// <c>GET /storm/argon2</c> (anonymous) answers how many Argon2 runs the hasher has made.
/// </summary>
public static class StormNode
{
    public static async Task<int> RunAsync(TextWriter output, string[] args)
    {
        var database = Option(args, "--db") ?? throw new ArgumentException("--db FILE is required.");
        var hasherName = Option(args, "--hasher") ?? "managed";
        IApiTokenHasher inner = hasherName switch
        {
            "managed" => new Argon2ApiTokenHasher(new Argon2HashingOptions()),
            "sodium" => new SodiumArgon2ApiTokenHasher(new Argon2HashingOptions()),
            _ => throw new ArgumentException($"Unknown hasher '{hasherName}': managed or sodium."),
        };
        var hasher = new CallCountingHasher(inner);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var tokens = builder.Services.AddApiTokens(builder.Configuration.GetSection("ApiTokens")).AddInMemoryAccounts(accounts =>
        {
            foreach (var user in StormData.Users(StormData.TokensFile(database)))
            {
                accounts.Set(new ApiTokenAccount(user, user, isSuspended: false, ["all"]));
            }
        });
        StormData.AddStore(tokens, database);
        builder.Services.RemoveAll<IApiTokenHasher>();
        builder.Services.AddSingleton<IApiTokenHasher>(hasher);
        builder.Services.AddAuthentication("whm").AddWhmTokens();

        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapWhmFunction("version", WhmApi0Shape.Data, static (_, _) => Task.FromResult(WhmApiResult.Success("version", w => w.WriteString("version", "11.130.0.1"))))
            .RequirePrivilege(StormData.Privilege);
        app.MapGet("/storm/argon2", () => hasher.Calls.ToString(CultureInfo.InvariantCulture)).AllowAnonymous();
        await app.StartAsync().ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        output.WriteLine($"listening {address}");
        output.Flush();
        await Console.In.ReadToEndAsync().ConfigureAwait(false);
        await app.StopAsync().ConfigureAwait(false);
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed class CallCountingHasher(IApiTokenHasher inner) : IApiTokenHasher
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public string Hash(string secret)
        {
            Interlocked.Increment(ref _calls);
            return inner.Hash(secret);
        }

        public HashVerificationResult Verify(string hash, ReadOnlySpan<char> secret)
        {
            Interlocked.Increment(ref _calls);
            return inner.Verify(hash, secret);
        }
    }
}
