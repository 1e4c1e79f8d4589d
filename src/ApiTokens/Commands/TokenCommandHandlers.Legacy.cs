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
        byte[]? json;
        try
        {
            // Read through the cap, not by the file's length: a pipe or /dev/stdin has none.
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            await using (stream.ConfigureAwait(false))
            {
                json = await ReadCappedAsync(stream, WhmTokenFile.MaxMegabytes * 1024 * 1024, cancellationToken).ConfigureAwait(false);
            }

            if (json is null)
            {
                return await RefuseAsync(Messages.ImportFileTooLarge(path, WhmTokenFile.MaxMegabytes)).ConfigureAwait(false);
            }
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
        string? text;
        try
        {
            if (path is null)
            {
                text = await ReadCappedAsync(stdin, MaxAccessHashKilobytes * 1024, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                using var file = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1));
                text = await ReadCappedAsync(file, MaxAccessHashKilobytes * 1024, cancellationToken).ConfigureAwait(false);
            }

            if (text is null)
            {
                return await RefuseAsync(Messages.AccessHashTooLarge(MaxAccessHashKilobytes)).ConfigureAwait(false);
            }
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

    /// <summary>An access hash is a few kilobytes at most (4,096 characters once its whitespace is removed).</summary>
    private const int MaxAccessHashKilobytes = 64;

    /// <summary>All of <paramref name="stream"/>, or null as soon as it gives more than <paramref name="maxBytes"/>.</summary>
    private static async Task<byte[]?> ReadCappedAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>All of <paramref name="reader"/>, or null as soon as it gives more than <paramref name="maxChars"/>.</summary>
    private static async Task<string?> ReadCappedAsync(TextReader reader, int maxChars, CancellationToken cancellationToken)
    {
        var text = new System.Text.StringBuilder();
        var chunk = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (text.Length + read > maxChars)
            {
                return null;
            }

            text.Append(chunk, 0, read);
        }

        return text.ToString();
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
