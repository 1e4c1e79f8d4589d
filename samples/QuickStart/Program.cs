using ApiTokens;
using ApiTokens.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

var builder = WebApplication.CreateBuilder(args);
if (args is ["tokens", ..]) builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace); // logs to stderr: the token alone on stdout
builder.Services.AddApiTokens()                                            // manager, hashing, verify cache
    .AddEntityFrameworkStore(o => o.UseSqlite("Data Source=tokens.db"))   // tokens survive a restart
    .AddAccountProvider<Accounts>();                                       // your users (below)
builder.Services.AddAuthentication("whm").AddWhmTokens();                  // the scheme and the privilege policies

var app = builder.Build();
using (var scope = app.Services.CreateScope())
{
    await scope.ServiceProvider.GetRequiredService<ApiTokensDbContext>().Database.EnsureApiTokensCreatedAsync();
}

app.UseAuthentication();
app.UseAuthorization();
app.MapGet("/json-api/listaccts", () => Accounts.All.Select(a => a.UserName)).RequirePrivilege("list-accts");

// `dotnet run -- tokens create --user root --name bootstrap` prints a new token on its last line, then exits.
if (await app.RunApiTokensCommandsAsync(args) is int exitCode) return exitCode;
app.Run();
return 0;

/// <summary>The accounts that own tokens: replace this list with a lookup in your own user store.</summary>
internal sealed class Accounts : IApiTokenAccountProvider
{
    public static readonly ApiTokenAccount[] All =
    [
        new("1", "root", isSuspended: false, ["all"]),
        new("2", "reseller", isSuspended: false, ["list-accts", "create-acct"]),
    ];

    public ValueTask<ApiTokenAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken) =>
        ValueTask.FromResult(All.FirstOrDefault(a => a.UserName == userName));

    public ValueTask<ApiTokenAccount?> FindByIdAsync(string accountId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(All.FirstOrDefault(a => a.Id == accountId));
}
