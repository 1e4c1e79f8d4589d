using WhmAdmin;

// `WhmAdmin tokens create|list|revoke …` runs the library's command line in this app's host; anything else runs the web app.
await using var app = WhmAdminApp.Build(args);
await WhmAdminApp.InitializeDatabaseAsync(app.Services);
if (await app.RunApiTokensCommandsAsync(args) is int exitCode)
{
    return exitCode;
}

await app.RunAsync();
return 0;
