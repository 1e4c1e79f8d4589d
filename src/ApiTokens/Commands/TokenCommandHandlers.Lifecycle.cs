using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary><c>tokens rotate</c> (a new value for a token, the old one kept for a grace period) and <c>tokens audit</c>.</summary>
internal sealed partial class TokenCommandHandlers
{
    /// <summary>
    /// Rotates the token and prints the new value alone on the last line, as <c>create</c> does. The change stops the old value
    /// (at once or at the end of the grace period), so, as for <c>revoke</c>, the app's backplane is started and flushed, and
    /// without one the note says how long a running server may still accept the old value from its cache.
    /// </summary>
    public async Task<int> RotateAsync(string userName, string name, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var publication = await ChangePublication.BeginAsync(services, cancellationToken).ConfigureAwait(false);
        await using var stopPublication = publication.ConfigureAwait(false);
        var code = await WithAccountAsync(userName, cancellationToken, async (provider, account) =>
        {
            var result = await provider.GetRequiredService<ApiTokenManager>()
                .RotateAsync(account.Id, name, gracePeriod, Actor, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return await RefuseAsync(result.Error.Message).ConfigureAwait(false);
            }

            var rotated = result.Value;
            var now = UnixTime.Now(provider.GetRequiredService<TimeProvider>());
            await stdout.WriteLineAsync(Messages.CommandTokenRotated(rotated.Token.Name, account.UserName)).ConfigureAwait(false);
            await stdout.WriteLineAsync(rotated.PreviousTokenExpiresAt > now
                ? Messages.CommandPreviousValueStops(rotated.PreviousTokenExpiresAt)
                : Messages.CommandPreviousValueStopped).ConfigureAwait(false);
            await stdout.WriteLineAsync(rotated.PlaintextToken).ConfigureAwait(false);
            await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
            return CommandExitCodes.Done;
        }).ConfigureAwait(false);

        // A server that cached the old value before the rotation trusts that entry until it is dropped: at once with a
        // backplane, otherwise up to the cache lifetime. Only a grace period shorter than that needs saying.
        var cache = services.GetRequiredService<IOptions<ApiTokenOptions>>().Value.Cache;
        if (code == CommandExitCodes.Done && cache.Enabled && gracePeriod < cache.Lifetime)
        {
            var lifetime = ChangePublication.Describe(cache.Lifetime);
            var note = await publication.FlushAsync(cancellationToken).ConfigureAwait(false) switch
            {
                false when publication.HasBackplane => Messages.RotatedButNotPublished(lifetime),
                false => Messages.RotatedWithoutBackplane(lifetime),
                _ => null,
            };
            if (note is not null)
            {
                await stderr.WriteLineAsync(note).ConfigureAwait(false);
            }
        }
        else if (code == CommandExitCodes.Done)
        {
            await publication.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return code;
    }

    /// <summary>
    /// Prints a page of the stored audit trail, newest first: one tab-separated line per event, or with <paramref name="json"/>
    /// one JSON object. Exit 1 when no audit store is registered, the account is unknown or the store cannot be reached.
    /// </summary>
    public async Task<int> AuditAsync(string? userName, ApiTokenAuditQuery query, bool json, CancellationToken cancellationToken)
    {
        var scope = services.CreateAsyncScope();
        await using var disposeScope = scope.ConfigureAwait(false);
        var manager = scope.ServiceProvider.GetRequiredService<ApiTokenManager>();
        if (!manager.HasAuditTrail)
        {
            return await RefuseAsync(Messages.NoAuditStore).ConfigureAwait(false);
        }

        if (userName is not null)
        {
            var account = await FindAccountAsync(scope.ServiceProvider, userName, cancellationToken).ConfigureAwait(false);
            if (account is null)
            {
                return CommandExitCodes.Refused;
            }

            query = query with { AccountId = account.Id };
        }

        ApiTokenAuditPage page;
        try
        {
            page = await manager.QueryAuditAsync(query, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiTokenStoreUnavailableException ex)
        {
            return await RefuseAsync(ex.Message).ConfigureAwait(false);
        }

        if (json)
        {
            await stdout.WriteLineAsync(AuditJson(page)).ConfigureAwait(false);
        }
        else
        {
            foreach (var entry in page.Events)
            {
                await stdout.WriteLineAsync(AuditLine(entry)).ConfigureAwait(false);
            }

            if (query.Skip + page.Events.Count < page.TotalCount)
            {
                await stderr.WriteLineAsync(Messages.AuditMore(page.Events.Count, query.Skip, page.TotalCount)).ConfigureAwait(false);
            }
        }

        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        return CommandExitCodes.Done;
    }

    /// <summary>Time, action, account, token, details, by whom, from where; a missing value is <c>-</c>.</summary>
    private static string AuditLine(ApiTokenAuditEvent e)
    {
        var details = new List<string>(3);
        if (e.NewTokenName is not null)
        {
            details.Add("new name " + e.NewTokenName);
        }

        if (e.ChangedFields is { Count: > 0 } fields)
        {
            details.Add("changed " + string.Join(',', fields));
        }

        if (e.ExpiresAt is { } at)
        {
            details.Add((e.Action == ApiTokenAuditAction.Rotated ? "old value until " : "expires ") + Iso(at));
        }

        return string.Join('\t',
            Iso(e.Time),
            Snake(e.Action),
            e.UserName ?? e.AccountId,
            e.TokenName ?? "-",
            details.Count > 0 ? string.Join("; ", details) : "-",
            "by " + (e.Actor ?? "-"),
            "from " + (e.RemoteAddress ?? "-"));
    }

    private static string AuditJson(ApiTokenAuditPage page)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("total_count", page.TotalCount);
            w.WriteStartArray("events");
            foreach (var e in page.Events)
            {
                w.WriteStartObject();
                w.WriteNumber("time", e.Time.ToUnixTimeSeconds());
                w.WriteString("action", Snake(e.Action));
                w.WriteString("account_id", e.AccountId);
                w.WriteString("user", e.UserName);
                w.WriteString("token_name", e.TokenName);
                w.WriteString("new_token_name", e.NewTokenName);
                if (e.ChangedFields is { } fields)
                {
                    w.WriteStartArray("changed_fields");
                    foreach (var field in fields)
                    {
                        w.WriteStringValue(field);
                    }

                    w.WriteEndArray();
                }
                else
                {
                    w.WriteNull("changed_fields");
                }

                if (e.ExpiresAt is { } at)
                {
                    w.WriteNumber("expires_at", at.ToUnixTimeSeconds());
                }
                else
                {
                    w.WriteNull("expires_at");
                }

                w.WriteString("actor", e.Actor);
                w.WriteString("remote_address", e.RemoteAddress);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary><c>RevokedAsLeaked</c> → <c>revoked_as_leaked</c>, the form scripts and the JSON use.</summary>
    private static string Snake(ApiTokenAuditAction action)
    {
        var name = action.ToString();
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
