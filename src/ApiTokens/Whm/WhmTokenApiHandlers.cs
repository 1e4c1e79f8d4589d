using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Whm;

/// <summary>
/// The five WHM API 1 token functions, and this project's <c>api_token_rotate</c> (WhmTokenApiHandlers.Rotate.cs), always on
/// the caller's own tokens.
/// </summary>
internal static partial class WhmTokenApiHandlers
{
    public const string Create = "api_token_create";
    public const string List = "api_token_list";
    public const string Update = "api_token_update";
    public const string Revoke = "api_token_revoke";
    public const string GetDetails = "api_token_get_details";

    private const string TokenNameParameter = "token_name";
    private const string AclParameter = "acl";
    private const string WhitelistParameter = "whitelist_ip";
    private const string AnyAddress = "any";

    public static async Task<WhmApiResult> CreateAsync(HttpContext context, WhmApiParameters parameters)
    {
        if (WhmApi.AccountId(context) is not { } accountId)
        {
            return WhmApiResult.Failure(Create, ApiTokenErrors.AccountNotFound.Message);
        }

        var name = parameters.Get(TokenNameParameter);
        if (string.IsNullOrEmpty(name))
        {
            return WhmApiResult.Failure(Create, Messages.MissingParameter(TokenNameParameter));
        }

        if (!TryParseExpiry(parameters, out var expiresAt, out _, out var expiryError))
        {
            return WhmApiResult.Failure(Create, expiryError);
        }

        if (!TryReadLists(parameters, out var whitelist, out var listError))
        {
            return WhmApiResult.Failure(Create, listError);
        }

        if (whitelist is not null && whitelist.Any(ip => string.Equals(ip, AnyAddress, StringComparison.OrdinalIgnoreCase)))
        {
            whitelist = null;
        }

        var manager = context.RequestServices.GetRequiredService<ApiTokenManager>();
        var result = await manager.CreateAsync(
            accountId,
            new ApiTokenCreateRequest { Name = name, Acls = parameters.GetList(AclParameter), ExpiresAt = expiresAt, WhitelistIps = whitelist },
            WhmApi.Actor(context),
            context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return WhmApiResult.Failure(Create, result.Error.Message);
        }

        var created = result.Value;
        return WhmApiResult.Success(Create, w =>
        {
            var token = created.Token;
            w.WriteString("name", token.Name);
            w.WriteNumber("create_time", token.CreatedAt.ToUnixTimeSeconds());
            WriteExpiry(w, token);
            w.WriteString("token", created.PlaintextToken);
            if (token.Acls is not null)
            {
                WriteStrings(w, "acls", token.Acls);
            }

            if (token.WhitelistIps is not null)
            {
                WriteWhitelist(w, token.WhitelistIps);
            }
        });
    }

    public static async Task<WhmApiResult> ListAsync(HttpContext context, WhmApiParameters parameters)
    {
        _ = parameters;
        if (WhmApi.AccountId(context) is not { } accountId)
        {
            return WhmApiResult.Failure(List, ApiTokenErrors.AccountNotFound.Message);
        }

        var services = context.RequestServices;
        var account = await services.GetRequiredService<IApiTokenAccountProvider>()
            .FindByIdAsync(accountId, context.RequestAborted).ConfigureAwait(false);
        if (account is null)
        {
            return WhmApiResult.Failure(List, ApiTokenErrors.AccountNotFound.Message);
        }

        var manager = services.GetRequiredService<ApiTokenManager>();
        var tokens = new List<ApiToken>();
        for (var skip = 0; ; skip += ApiTokenQuery.MaxTake)
        {
            var page = await manager.ListAsync(accountId, new ApiTokenQuery { Skip = skip, Take = ApiTokenQuery.MaxTake }, context.RequestAborted)
                .ConfigureAwait(false);
            tokens.AddRange(page.Items);
            if (page.Items.Count < ApiTokenQuery.MaxTake || tokens.Count >= page.TotalCount)
            {
                break;
            }
        }

        var grantable = services.GetRequiredService<PrivilegeCatalog>().GrantableBy(account.Privileges);
        return WhmApiResult.Success(List, w =>
        {
            w.WriteStartObject("tokens");
            foreach (var token in tokens)
            {
                w.WriteStartObject(token.Name);
                w.WriteString("name", token.Name);
                w.WriteNumber("create_time", token.CreatedAt.ToUnixTimeSeconds());
                WriteExpiry(w, token);
                WriteWhitelistOrNull(w, token.WhitelistIps);
                WriteLastUsed(w, token);
                var full = HasFullAccess(token);
                w.WriteNumber("has_full_access", full ? 1 : 0);
                w.WriteStartObject("acls");
                foreach (var privilege in grantable)
                {
                    var held = full || token.Acls!.Contains(privilege.Name, StringComparer.Ordinal);
                    w.WriteNumber(privilege.Name, held ? 1 : 0);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndObject();
        });
    }

    public static async Task<WhmApiResult> UpdateAsync(HttpContext context, WhmApiParameters parameters)
    {
        if (WhmApi.AccountId(context) is not { } accountId)
        {
            return WhmApiResult.Failure(Update, ApiTokenErrors.AccountNotFound.Message);
        }

        var name = parameters.Get(TokenNameParameter);
        if (string.IsNullOrEmpty(name))
        {
            return WhmApiResult.Failure(Update, Messages.MissingParameter(TokenNameParameter));
        }

        if (!TryParseExpiry(parameters, out var expiresAt, out var clearExpiry, out var expiryError))
        {
            return WhmApiResult.Failure(Update, expiryError);
        }

        var newName = parameters.Get("new_name");
        if (newName is { Length: 0 })
        {
            newName = null; // WHM treats an empty name as "no new name"; the current name is a (no-op) rename it accepts
        }

        if (!TryReadLists(parameters, out var whitelist, out var listError))
        {
            return WhmApiResult.Failure(Update, listError);
        }

        if (whitelist is not null && whitelist.Any(ip => string.Equals(ip, AnyAddress, StringComparison.OrdinalIgnoreCase)))
        {
            whitelist = [];
        }

        var request = new ApiTokenUpdateRequest
        {
            NewName = newName,
            Acls = parameters.GetList(AclParameter),
            ExpiresAt = expiresAt,
            ClearExpiry = clearExpiry,
            WhitelistIps = whitelist,
        };
        var manager = context.RequestServices.GetRequiredService<ApiTokenManager>();
        var result = await manager.UpdateAsync(accountId, name, request, WhmApi.Actor(context), context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return WhmApiResult.Failure(Update, result.Error.Message);
        }

        var token = result.Value;
        return WhmApiResult.Success(Update, w => WriteRecord(w, token));
    }

    public static async Task<WhmApiResult> RevokeAsync(HttpContext context, WhmApiParameters parameters)
    {
        if (WhmApi.AccountId(context) is not { } accountId)
        {
            return WhmApiResult.Failure(Revoke, ApiTokenErrors.AccountNotFound.Message);
        }

        if (parameters.FindMalformedIndex(TokenNameParameter) is { } badKey)
        {
            return WhmApiResult.Failure(Revoke, Messages.MalformedIndexedParameter(badKey, TokenNameParameter));
        }

        var names = parameters.GetList(TokenNameParameter);
        if (names is null)
        {
            return WhmApiResult.Failure(Revoke, Messages.NoTokenNames);
        }

        if (names.Count == 0)
        {
            return WhmApiResult.Success(Revoke); // WHM ignores empty names, as it ignores unknown ones
        }

        var manager = context.RequestServices.GetRequiredService<ApiTokenManager>();
        var result = await manager.RevokeAsync(accountId, names.ToArray(), WhmApi.Actor(context), context.RequestAborted).ConfigureAwait(false);
        return result.Succeeded ? WhmApiResult.Success(Revoke) : WhmApiResult.Failure(Revoke, result.Error.Message);
    }

    public static async Task<WhmApiResult> GetDetailsAsync(HttpContext context, WhmApiParameters parameters)
    {
        if (WhmApi.AccountId(context) is not { } accountId)
        {
            return WhmApiResult.Failure(GetDetails, ApiTokenErrors.AccountNotFound.Message);
        }

        var plaintext = parameters.Get("token")?.Trim();
        if (string.IsNullOrEmpty(plaintext))
        {
            return WhmApiResult.Failure(GetDetails, Messages.MissingParameter("token"));
        }

        var services = context.RequestServices;
        var token = await services.GetRequiredService<ApiTokenManager>()
            .FindByPlaintextAsync(accountId, plaintext, context.RequestAborted).ConfigureAwait(false);
        if (token is null || token.IsExpiredAt(services.GetRequiredService<TimeProvider>().GetUtcNow()))
        {
            return WhmApiResult.SuccessWithoutData(GetDetails);
        }

        return WhmApiResult.Success(GetDetails, w =>
        {
            w.WriteString("name", token.Name);
            w.WriteNumber("create_time", token.CreatedAt.ToUnixTimeSeconds());
            WriteExpiry(w, token);
            if (token.Acls is not null)
            {
                WriteStrings(w, "acls", token.Acls);
            }

            WriteWhitelistOrNull(w, token.WhitelistIps);
            WriteLastUsed(w, token);
        });
    }

    /// <summary>
    /// Parses <c>expires_at</c>: absent means "not given"; empty or <c>0</c> means never; otherwise a Unix time in seconds.
    /// </summary>
    internal static bool TryParseExpiry(WhmApiParameters parameters, out DateTimeOffset? expiresAt, out bool never, out string error)
    {
        expiresAt = null;
        never = false;
        error = string.Empty;
        var raw = parameters.Get("expires_at");
        if (raw is null)
        {
            return true;
        }

        if (!UnixTime.TryParse(raw, out expiresAt))
        {
            error = Messages.InvalidExpiry(raw.Trim());
            return false;
        }

        never = expiresAt is null;
        return true;
    }

    /// <summary>WHM's <c>has_full_access</c>: no privilege list at all, or a list that contains <c>all</c>.</summary>
    private static bool HasFullAccess(ApiToken token) => token.HasFullAccess;

    /// <summary>
    /// Refuses what WHM refuses in the repeated parameters of a create or update: an <c>acl-N</c> or <c>whitelist_ip-N</c> key
    /// whose N cannot be read (never read as "not given", which for <c>acl</c> would mean full access), and an empty
    /// <c>whitelist_ip</c> value. Returns the whitelist as given (<see langword="null"/> when not given).
    /// </summary>
    private static bool TryReadLists(WhmApiParameters parameters, out IReadOnlyList<string>? whitelist, out string error)
    {
        whitelist = null;
        error = string.Empty;
        foreach (var name in (string[])[AclParameter, WhitelistParameter])
        {
            if (parameters.FindMalformedIndex(name) is { } badKey)
            {
                error = Messages.MalformedIndexedParameter(badKey, name);
                return false;
            }
        }

        var raw = parameters.GetRawList(WhitelistParameter);
        if (raw is not null && raw.Any(v => v.Trim().Length == 0))
        {
            error = Messages.EmptyArguments(WhitelistParameter);
            return false;
        }

        whitelist = parameters.GetList(WhitelistParameter);
        return true;
    }

    private static void WriteRecord(Utf8JsonWriter w, ApiToken token)
    {
        w.WriteString("name", token.Name);
        w.WriteNumber("create_time", token.CreatedAt.ToUnixTimeSeconds());
        WriteExpiry(w, token);
        w.WriteNumber("has_full_access", HasFullAccess(token) ? 1 : 0);
        if (token.Acls is not null)
        {
            WriteStrings(w, "acls", token.Acls);
        }

        WriteWhitelistOrNull(w, token.WhitelistIps);
    }

    private static void WriteExpiry(Utf8JsonWriter w, ApiToken token)
    {
        if (token.ExpiresAt is { } e)
        {
            w.WriteNumber("expires_at", e.ToUnixTimeSeconds());
        }
        else
        {
            w.WriteNull("expires_at");
        }
    }

    /// <summary>Extension keys (not WHM's): when and from where the token last authenticated a request, or null for never.</summary>
    private static void WriteLastUsed(Utf8JsonWriter w, ApiToken token)
    {
        if (token.LastUsedAt is { } at)
        {
            w.WriteNumber("last_used", at.ToUnixTimeSeconds());
        }
        else
        {
            w.WriteNull("last_used");
        }

        if (token.LastUsedIp is { } ip)
        {
            w.WriteString("last_used_ip", ip);
        }
        else
        {
            w.WriteNull("last_used_ip");
        }
    }

    private static void WriteWhitelistOrNull(Utf8JsonWriter w, IReadOnlyList<string>? whitelist)
    {
        if (whitelist is null || whitelist.Count == 0)
        {
            w.WriteNull("whitelist_ips");
        }
        else
        {
            WriteWhitelist(w, whitelist);
        }
    }

    /// <summary>The whitelist as WHM writes it: IPv6 entries in full form.</summary>
    private static void WriteWhitelist(Utf8JsonWriter w, IReadOnlyList<string> whitelist) =>
        WriteStrings(w, "whitelist_ips", whitelist.Select(IpWhitelist.ToWhmForm));

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}
