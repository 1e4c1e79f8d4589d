using System.Globalization;
using ApiTokens.EntityFrameworkCore;
using ApiTokens.Sodium;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Benchmarks.Storm;

/// <summary>
/// The store a storm node restarts over: a real SQLite file with one valid token for each of <c>N</c> script accounts
/// (<c>storm0001</c>…) and one for <c>warm</c>, hashed at the library's defaults (19 MiB, t=2, p=1), and a text file with the
/// plaintext values the scripts hold (<c>user token</c> per line). Both are made once per <c>N</c> in the data folder and reused,
/// so every case (and a build at another commit) restarts over the same rows. The hashes are libsodium's, which either hasher
/// verifies at the same cost (they write the same strings).
/// </summary>
public sealed class StormData
{
    public const string WarmUser = "warm";
    public const string Privilege = "basic-whm-functions";

    private StormData(string database, IReadOnlyList<(string User, string Token)> scripts, (string User, string Token) warm)
    {
        Database = database;
        Scripts = scripts;
        Warm = warm;
    }

    /// <summary>The SQLite file.</summary>
    public string Database { get; }

    /// <summary>The storm's scripts: each its own account and token.</summary>
    public IReadOnlyList<(string User, string Token)> Scripts { get; }

    /// <summary>The token the cached trickle uses.</summary>
    public (string User, string Token) Warm { get; }

    /// <summary>Every user name the node must know (its in-memory accounts, id = user name).</summary>
    public static IEnumerable<string> Users(string tokensFile) =>
        File.ReadLines(tokensFile).Select(line => line[..line.IndexOf(' ', StringComparison.Ordinal)]);

    public static string TokensFile(string database) => database + ".tokens";

    /// <summary>The data for <paramref name="count"/> scripts in <paramref name="folder"/>, made first if missing.</summary>
    public static async Task<StormData> EnsureAsync(string folder, int count, TextWriter log)
    {
        Directory.CreateDirectory(folder);
        var database = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"storm-{count}.db"));
        var tokensFile = TokensFile(database);
        if (!File.Exists(tokensFile))
        {
            log.WriteLine($"storm: seeding {count} tokens at the defaults into {database} (once)");
            await SeedAsync(database, tokensFile, count).ConfigureAwait(false);
        }

        var lines = File.ReadAllLines(tokensFile).Select(l => l.Split(' ')).Select(p => (p[0], p[1])).ToList();
        return new StormData(database, lines.Where(l => l.Item1 != WarmUser).ToList(), lines.Single(l => l.Item1 == WarmUser));
    }

    /// <summary>The node's store registration: the EF Core store on the SQLite file, as an operator runs it.</summary>
    public static void AddStore(ApiTokensBuilder builder, string database) =>
        builder.AddEntityFrameworkStore(o => o.UseSqlite($"Data Source={database}"));

    private static async Task SeedAsync(string database, string tokensFile, int count)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(database + suffix);
        }

        var services = new ServiceCollection().AddLogging();
        AddStore(services.AddApiTokens().AddInMemoryAccounts(), database);
        await using var provider = services.BuildServiceProvider();
        var format = provider.GetRequiredService<ApiTokenFormat>();
        var hasher = new SodiumArgon2ApiTokenHasher(new Argon2HashingOptions());
        var users = Enumerable.Range(1, count).Select(i => "storm" + i.ToString("D4", CultureInfo.InvariantCulture)).Append(WarmUser).ToList();
        var generated = users.Select(_ => format.Generate()).ToList();
        var hashes = new string[users.Count];
        Parallel.For(0, users.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => hashes[i] = hasher.Hash(generated[i].Secret));

        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ApiTokensDbContext>().Database.EnsureApiTokensCreatedAsync().ConfigureAwait(false);
            var store = scope.ServiceProvider.GetRequiredService<IApiTokenStore>();
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < users.Count; i++)
            {
                var result = await store.CreateAsync(
                    new ApiToken
                    {
                        Id = Guid.NewGuid(),
                        AccountId = users[i],
                        Name = "script",
                        Selector = generated[i].Selector,
                        SecretHash = hashes[i],
                        CreatedAt = now,
                        Acls = [Privilege],
                        ConcurrencyStamp = Guid.NewGuid().ToString("N"),
                    },
                    CancellationToken.None).ConfigureAwait(false);
                if (result != ApiTokenStoreResult.Success)
                {
                    throw new InvalidOperationException($"Seeding token {i} failed: {result}.");
                }
            }
        }

        await File.WriteAllLinesAsync(tokensFile, users.Select((u, i) => $"{u} {generated[i].Value}")).ConfigureAwait(false);
    }
}
