using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary><c>tokens import-whm</c> and <c>tokens convert-accesshash</c>: migrating credentials made on a cPanel server.</summary>
internal sealed partial class TokenCommandHandlers
{
    /// <summary>Reads and checks the whole file, then imports every token of it for the account, or none.</summary>
    public async Task<int> ImportWhmAsync(string path, string? userName, CancellationToken cancellationToken)
    {
        userName ??= DefaultUser(path);
        byte[] json;
        try
        {
            var file = new FileInfo(path);
            if (file.Exists && file.Length > WhmTokenFile.MaxMegabytes * 1024L * 1024L)
            {
                return await RefuseAsync(Messages.ImportFileTooLarge(path, WhmTokenFile.MaxMegabytes)).ConfigureAwait(false);
            }

            json = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return await RefuseAsync(Messages.ImportFileNotFound(path)).ConfigureAwait(false);
        }

        var entries = WhmTokenFile.Parse(json, path);
        if (!entries.Succeeded)
        {
            return await RefuseAsync(entries.Error.Message).ConfigureAwait(false);
        }

        return await PublishingAsync(userName, cancellationToken, async (provider, account) =>
        {
            var result = await provider.GetRequiredService<LegacyTokenImporter>()
                .ImportAsync(account.Id, entries.Value, Actor, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return await RefuseAsync(result.Error.Message).ConfigureAwait(false);
            }

            await stdout.WriteLineAsync(Messages.CommandTokensImported(result.Value.Count, account.UserName, result.Value.Select(t => t.Name)))
                .ConfigureAwait(false);
            return CommandExitCodes.Done;
        }).ConfigureAwait(false);
    }

    /// <summary>Reads the access hash from <paramref name="path"/> or standard input and makes it a full-access token.</summary>
    public async Task<int> ConvertAccessHashAsync(string userName, string? path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = path is null
                ? await stdin.ReadToEndAsync(cancellationToken).ConfigureAwait(false)
                : await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return await RefuseAsync(Messages.AccessHashFileNotFound(path ?? "-")).ConfigureAwait(false);
        }

        return await PublishingAsync(userName, cancellationToken, async (provider, account) =>
        {
            var result = await provider.GetRequiredService<LegacyTokenImporter>()
                .ConvertAccessHashAsync(account.Id, text, Actor, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return await RefuseAsync(result.Error.Message).ConfigureAwait(false);
            }

            await stdout.WriteLineAsync(Messages.CommandAccessHashConverted(result.Value.Name, account.UserName)).ConfigureAwait(false);
            return CommandExitCodes.Done;
        }).ConfigureAwait(false);
    }

    /// <summary>cPanel names the file after the account: <c>root.json</c> is root's.</summary>
    internal static string DefaultUser(string path)
    {
        var name = Path.GetFileName(path);
        return name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? name[..^".json".Length] : name;
    }

    /// <summary>
    /// Runs <paramref name="work"/> for the account with the app's backplane started, so running servers hear of the new rows
    /// (their legacy index reads the store again); says on standard error when they cannot, and how long they may take.
    /// </summary>
    private async Task<int> PublishingAsync(string userName, CancellationToken cancellationToken, Func<IServiceProvider, ApiTokenAccount, Task<int>> work)
    {
        var publication = await ChangePublication.BeginAsync(services, cancellationToken).ConfigureAwait(false);
        await using var stopPublication = publication.ConfigureAwait(false);
        var code = await WithAccountAsync(userName, cancellationToken, work).ConfigureAwait(false);
        if (code == CommandExitCodes.Done)
        {
            var interval = ChangePublication.Describe(services.GetRequiredService<IOptions<ApiTokenOptions>>().Value.LegacyTokenRefreshInterval);
            var note = await publication.FlushAsync(cancellationToken).ConfigureAwait(false) switch
            {
                true => null,
                false when publication.HasBackplane => Messages.ImportedButNotPublished(interval),
                false => Messages.ImportedWithoutBackplane(interval),
                null => null,
            };
            if (note is not null)
            {
                await stderr.WriteLineAsync(note).ConfigureAwait(false);
            }
        }

        return code;
    }
}
