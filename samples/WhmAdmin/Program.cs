using WhmAdmin;

return await WhmAdminApp.RunAsync(args).ConfigureAwait(false);
