using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens;

/// <summary>
/// What <c>tokens create|list|revoke</c> do, through the host's services: the account is found by name with
/// <see cref="IApiTokenAccountProvider"/>, the work is done by <see cref="ApiTokenManager"/> in its own scope, with every rule it
/// holds. A refusal prints the manager's message on standard error and is exit code 1.
/// </summary>
internal sealed partial class TokenCommandHandlers(IServiceProvider services, TextReader stdin, TextWriter stdout, TextWriter stderr)
{
    private static readonly ApiTokenActor Actor = new("cli:" + Environment.UserName, "local");

    public Task<int> CreateAsync(string userName, ApiTokenCreateRequest request, CancellationToken cancellationToken) =>
        WithAccountAsync(userName, cancellationToken, async (provider, account) =>
        {
            var manager = provider.GetRequiredService<ApiTokenManager>();
            var result = await manager.CreateAsync(account.Id, request, Actor, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return await RefuseAsync(result.Error.Message).ConfigureAwait(false);
            }

            var token = result.Value.Token;
            await stdout.WriteLineAsync(Messages.CommandTokenCreated(token.Name, account.UserName, Privileges(token, ' '))).ConfigureAwait(false);
            await stdout.WriteLineAsync(result.Value.PlaintextToken).ConfigureAwait(false);
            await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
            return CommandExitCodes.Done;
        });

    /// <summary>The privileges the account can put on a token, from the app's catalogue: name, group, description, escalation.</summary>
    public Task<int> PrivilegesAsync(string userName, CancellationToken cancellationToken) =>
        WithAccountAsync(userName, cancellationToken, async (provider, account) =>
        {
            foreach (var privilege in provider.GetRequiredService<PrivilegeCatalog>().GrantableBy(account.Privileges))
            {
                var escalates = privilege.Escalates ? "\t" + Messages.CommandEscalates : string.Empty;
                await stdout.WriteLineAsync($"{privilege.Name}\t{privilege.Group}\t{privilege.Description}{escalates}").ConfigureAwait(false);
            }

            await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
            return CommandExitCodes.Done;
        });

    public Task<int> ListAsync(string userName, CancellationToken cancellationToken) =>
        WithAccountAsync(userName, cancellationToken, async (provider, account) =>
        {
            var manager = provider.GetRequiredService<ApiTokenManager>();
            try
            {
                var seen = 0;
                while (true)
                {
                    var page = await manager.ListAsync(account.Id, ApiTokenQuery.All with { Skip = seen }, cancellationToken).ConfigureAwait(false);
                    foreach (var token in page.Items)
                    {
                        await stdout.WriteLineAsync(Line(token)).ConfigureAwait(false);
                    }

                    seen += page.Items.Count;
                    if (page.Items.Count == 0 || seen >= page.TotalCount)
                    {
                        return CommandExitCodes.Done;
                    }
                }
            }
            catch (ApiTokenStoreUnavailableException ex)
            {
                return await RefuseAsync(ex.Message).ConfigureAwait(false);
            }
        });

    public async Task<int> RevokeAsync(string userName, string name, CancellationToken cancellationToken)
    {
        var publication = await ChangePublication.BeginAsync(services, cancellationToken).ConfigureAwait(false);
        await using var stopPublication = publication.ConfigureAwait(false);
        int code;
        var scope = services.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            code = await RevokeCoreAsync(scope.ServiceProvider, userName, name, cancellationToken).ConfigureAwait(false);
        }

        if (code == CommandExitCodes.Done && await publication.CompleteAsync(cancellationToken).ConfigureAwait(false) is { } note)
        {
            await stderr.WriteLineAsync(note).ConfigureAwait(false);
        }

        return code;
    }

    private async Task<int> RevokeCoreAsync(IServiceProvider scoped, string userName, string name, CancellationToken cancellationToken)
    {
        var account = await FindAccountAsync(scoped, userName, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return CommandExitCodes.Refused;
        }

        var result = await scoped.GetRequiredService<ApiTokenManager>().RevokeAsync(account.Id, name, Actor, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return await RefuseAsync(result.Error.Message).ConfigureAwait(false);
        }

        if (!result.Value)
        {
            return await RefuseAsync(ApiTokenErrors.TokenNotFound(name).Message).ConfigureAwait(false);
        }

        await stdout.WriteLineAsync(Messages.CommandTokenRevoked(name, account.UserName)).ConfigureAwait(false);
        return CommandExitCodes.Done;
    }

    /// <summary>The account, or null after saying on standard error that it does not exist or could not be looked up.</summary>
    /// <summary>Runs <paramref name="work"/> in a scope of its own for the account named <paramref name="userName"/>; exit 1 when there is none.</summary>
    private async Task<int> WithAccountAsync(
        string userName, CancellationToken cancellationToken, Func<IServiceProvider, ApiTokenAccount, Task<int>> work)
    {
        var scope = services.CreateAsyncScope();
        await using var disposeScope = scope.ConfigureAwait(false);
        var account = await FindAccountAsync(scope.ServiceProvider, userName, cancellationToken).ConfigureAwait(false);
        return account is null ? CommandExitCodes.Refused : await work(scope.ServiceProvider, account).ConfigureAwait(false);
    }

    private async Task<ApiTokenAccount?> FindAccountAsync(IServiceProvider scoped, string userName, CancellationToken cancellationToken)
    {
        ApiTokenAccount? account;
        try
        {
            account = await scoped.GetRequiredService<IApiTokenAccountProvider>().FindByUserNameAsync(userName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && StoreFaults.IsStoreFault(ex))
        {
            await stderr.WriteLineAsync(Messages.StoreUnavailable).ConfigureAwait(false);
            return null;
        }

        if (account is null)
        {
            await stderr.WriteLineAsync(Messages.CommandAccountNotFound(userName)).ConfigureAwait(false);
        }

        return account;
    }

    private async Task<int> RefuseAsync(string message)
    {
        await stderr.WriteLineAsync(message).ConfigureAwait(false);
        return CommandExitCodes.Refused;
    }

    private static string Line(ApiToken token)
    {
        var expires = token.ExpiresAt is { } e ? e.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : Messages.CommandNever;
        var addresses = token.WhitelistIps is { Count: > 0 } ips ? string.Join(',', ips) : Messages.CommandAnyAddress;
        var lastUsed = token.LastUsedAt is { } u
            ? string.Create(CultureInfo.InvariantCulture, $"{u.ToUnixTimeSeconds()} from {token.LastUsedIp ?? "?"}")
            : Messages.NeverUsed;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{token.Name}\tcreated {token.CreatedAt.ToUnixTimeSeconds()}\texpires {expires}\t{Privileges(token, ',')}\t{addresses}\tlast used {lastUsed}");
    }

    private static string Privileges(ApiToken token, char separator) =>
        token.HasFullAccess || token.Acls is null ? Messages.CommandFullAccess : string.Join(separator, token.Acls);
}
