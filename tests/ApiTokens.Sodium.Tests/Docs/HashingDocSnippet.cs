using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Sodium.Tests.Docs;

/// <summary>
/// The code block of docs/hashing.md's "How to choose", compiled here: <see cref="DocsTests"/> checks that the page shows
/// exactly the region below and that the app it builds hashes with libsodium.
/// </summary>
internal static class HashingDocSnippet
{
    public static WebApplication Build(string[] args)
    {
        #region docs/hashing.md
        var builder = WebApplication.CreateBuilder(args);

        builder.Services.AddApiTokens(builder.Configuration.GetSection("ApiTokens"))
            .AddInMemoryStore()          // your store, e.g. .AddEntityFrameworkStore<AppDbContext>()
            .AddInMemoryAccounts()       // your accounts, e.g. .AddAccountProvider<DbAccounts>()
            .AddSodiumHasher();          // Argon2id on libsodium; delete this line to keep the managed hasher
        builder.Services.AddAuthentication("whm").AddWhmTokens();

        var app = builder.Build();
        #endregion
        return app;
    }
}
