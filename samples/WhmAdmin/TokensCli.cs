using System.Globalization;
using ApiTokens;
using ApiTokens.Redis;
using Microsoft.Extensions.Options;

namespace WhmAdmin;

/// <summary><c>tokens create|list|revoke</c>: what root runs on the server to bootstrap the first token.</summary>
internal static class TokensCli
{
    public const string Usage =
        "Usage: tokens create --user USER --name NAME [--acl ACL]... [--expires-at EPOCH]\n" +
        "       tokens list --user USER\n" +
        "       tokens revoke --user USER --name NAME";

    /// <summary>How long a command that changes tokens waits for its change to reach Redis before it gives up and says so.</summary>
    internal static readonly TimeSpan RedisConnectTimeout = TimeSpan.FromSeconds(5);

    private static readonly string[] Options = ["--user", "--name", "--acl", "--expires-at"];

    public static bool IsCliArgument(string[] args, int index) =>
        index == 0 && args[0] == "tokens"
        || index == 1 && args[0] == "tokens"
        || Options.Contains(args[index])
        || index > 0 && Options.Contains(args[index - 1]);

    public static bool TryParse(string[] args, out Command command, out string error)
    {
        command = new Command();
        error = string.Empty;
        if (args.Length < 2 || args[1] is not ("create" or "list" or "revoke"))
        {
            error = "Name a tokens command: create, list or revoke.";
            return false;
        }

        command.Verb = args[1];
        for (var i = 2; i < args.Length; i++)
        {
            if (!Options.Contains(args[i]))
            {
                continue; // host configuration (--urls, --ConnectionStrings:ApiTokens=…) passes through
            }

            if (i + 1 >= args.Length)
            {
                error = $"The option {args[i]} needs a value.";
                return false;
            }

            var value = args[++i];
            switch (args[i - 1])
            {
                case "--user":
                    command.User = value;
                    break;
                case "--name":
                    command.Name = value;
                    break;
                case "--acl":
                    command.Acls ??= [];
                    command.Acls.Add(value);
                    break;
                case "--expires-at":
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253_402_300_799)
                    {
                        error = $"--expires-at must be a Unix time in seconds, not “{value}”.";
                        return false;
                    }

                    command.ExpiresAt = seconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds);
                    break;
            }
        }

        if (string.IsNullOrEmpty(command.User))
        {
            error = "Give the account with --user USER.";
            return false;
        }

        if (command.Verb is "create" or "revoke" && string.IsNullOrEmpty(command.Name))
        {
            error = "Give the token name with --name NAME.";
            return false;
        }

        return true;
    }

    /// <summary>
    /// Runs the command. A command that changes existing tokens (revoke) must also reach the verify cache of any
    /// running server, which lives in another process: with <c>ConnectionStrings:Redis</c> the change is published
    /// through the Redis backplane (started here, as there is no generic host, and stopped after so the publish is
    /// flushed); without it, a note on standard error says how long a running server may still accept the token.
    /// </summary>
    public static async Task<int> RunAsync(Command command, IServiceProvider services, TextWriter stdout, TextWriter stderr)
    {
        if (!command.ChangesExistingTokens)
        {
            return await ExecuteAsync(command, services, stdout, stderr).ConfigureAwait(false);
        }

        var cache = services.GetRequiredService<IOptions<ApiTokenOptions>>().Value.Cache;
        var backplane = services.GetService<RedisApiTokenBackplane>();
        if (backplane is null)
        {
            var exitCode = await ExecuteAsync(command, services, stdout, stderr).ConfigureAwait(false);
            if (exitCode == 0 && cache.Enabled)
            {
                await stderr.WriteLineAsync(
                    $"Note: a running WhmAdmin server may keep accepting this token for up to {Describe(cache.Lifetime)} (ApiTokens:Cache:Lifetime): "
                    + "this command runs in its own process and cannot reach the server's verify cache. Configure ConnectionStrings:Redis "
                    + "(here and on the server) so the change reaches it at once, or restart the server.").ConfigureAwait(false);
            }

            return exitCode;
        }

        int code;
        bool published;
        await backplane.StartAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            code = await ExecuteAsync(command, services, stdout, stderr).ConfigureAwait(false);

            // The change is queued on the backplane, which connects, proves its subscription and then publishes it: wait for
            // that (bounded), as this short-lived process would not live to see a later recovery.
            published = await backplane.FlushAsync(RedisConnectTimeout).ConfigureAwait(false);
        }
        finally
        {
            await backplane.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        if (code == 0 && cache.Enabled && !published)
        {
            await stderr.WriteLineAsync(
                $"Note: Redis could not be reached, so running servers were not told of this change: they may keep accepting this token for up to {Describe(cache.Lifetime)} "
                + "(ApiTokens:Cache:Lifetime), or ApiTokens:Redis:DegradedCacheLifetime on a server that has lost Redis too, unless they restart.").ConfigureAwait(false);
        }

        return code;
    }

    /// <summary>"5 minutes", "30 seconds", "1.5 seconds".</summary>
    internal static string Describe(TimeSpan lifetime) =>
        lifetime.TotalMinutes >= 1 && lifetime.Seconds == 0 && lifetime.Milliseconds == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{lifetime.TotalMinutes:0.#} minute{(lifetime.TotalMinutes == 1 ? "" : "s")}")
            : string.Create(CultureInfo.InvariantCulture, $"{lifetime.TotalSeconds:0.###} second{(lifetime.TotalSeconds == 1 ? "" : "s")}");

    private static async Task<int> ExecuteAsync(Command command, IServiceProvider services, TextWriter stdout, TextWriter stderr)
    {
        var account = await services.GetRequiredService<IApiTokenAccountProvider>()
            .FindByUserNameAsync(command.User!, CancellationToken.None).ConfigureAwait(false);
        if (account is null)
        {
            await stderr.WriteLineAsync($"The account “{command.User}” does not exist.").ConfigureAwait(false);
            return 1;
        }

        var manager = services.GetRequiredService<ApiTokenManager>();
        var actor = new ApiTokenActor("cli:" + Environment.UserName, "local");
        switch (command.Verb)
        {
            case "create":
            {
                var result = await manager.CreateAsync(
                    account.Id,
                    new ApiTokenCreateRequest { Name = command.Name!, Acls = command.Acls, ExpiresAt = command.ExpiresAt },
                    actor).ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    await stderr.WriteLineAsync(result.Error.Message).ConfigureAwait(false);
                    return 1;
                }

                var token = result.Value.Token;
                await stdout.WriteLineAsync(
                    $"Created API token “{token.Name}” for {account.UserName} ({(token.Acls is null ? "full access" : string.Join(' ', token.Acls))}). Save it now: it is shown only once.")
                    .ConfigureAwait(false);
                await stdout.WriteLineAsync(result.Value.PlaintextToken).ConfigureAwait(false);
                await stdout.FlushAsync().ConfigureAwait(false);
                return 0;
            }

            case "list":
            {
                var page = await manager.ListAsync(account.Id).ConfigureAwait(false);
                foreach (var token in page.Items)
                {
                    var expires = token.ExpiresAt is { } e ? e.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : "never";
                    await stdout.WriteLineAsync(
                        $"{token.Name}\tcreated {token.CreatedAt.ToUnixTimeSeconds()}\texpires {expires}\t{(token.Acls is null ? "full access" : string.Join(',', token.Acls))}")
                        .ConfigureAwait(false);
                }

                return 0;
            }

            default:
            {
                var result = await manager.RevokeAsync(account.Id, command.Name!, actor).ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    await stderr.WriteLineAsync(result.Error.Message).ConfigureAwait(false);
                    return 1;
                }

                if (!result.Value)
                {
                    await stderr.WriteLineAsync(ApiTokenErrors.TokenNotFound(command.Name!).Message).ConfigureAwait(false);
                    return 1;
                }

                await stdout.WriteLineAsync($"Revoked API token “{command.Name}” of {account.UserName}.").ConfigureAwait(false);
                return 0;
            }
        }
    }

    internal sealed class Command
    {
        public string Verb { get; set; } = string.Empty;

        public string? User { get; set; }

        public string? Name { get; set; }

        public List<string>? Acls { get; set; }

        public DateTimeOffset? ExpiresAt { get; set; }

        /// <summary>Whether the command changes a token a running server may have cached (create does not).</summary>
        public bool ChangesExistingTokens => Verb is "revoke";
    }
}
