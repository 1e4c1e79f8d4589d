using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ApiTokens.Page.Tests.Infrastructure;

/// <summary>
/// A client of the test host without a browser: keeps cookies, logs in through the host's <c>/login</c> form (with its
/// antiforgery field), and calls the page's JSON endpoints with or without the page's antiforgery header.
/// </summary>
public sealed partial class PageHttpClient : IDisposable
{
    private readonly HttpClient _client;

    public PageHttpClient(PageTestHost host)
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        _client = new HttpClient(handler, disposeHandler: true) { BaseAddress = host.BaseAddress };
    }

    /// <summary>The page's antiforgery header, once <see cref="SessionAsync"/> has been read with a cookie.</summary>
    public (string Header, string Token)? Antiforgery { get; private set; }

    /// <summary>Signs in with the login form, as a browser would; the sign-in cookie is kept for later calls.</summary>
    public async Task LogInAsync(string user)
    {
        var form = await _client.GetStringAsync("/login");
        var field = HiddenField().Matches(form).First(m => m.Groups["name"].Value != "returnUrl");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [WebUtility.HtmlDecode(field.Groups["name"].Value)] = WebUtility.HtmlDecode(field.Groups["value"].Value),
            ["returnUrl"] = "/tokens",
            ["username"] = user,
            ["password"] = PageTestHost.Password,
        });
        using var response = await _client.PostAsync("/login", content);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>Reads <c>/tokens/api/session</c> and keeps its antiforgery header for later calls.</summary>
    public async Task<JsonElement> SessionAsync()
    {
        using var response = await SendAsync(HttpMethod.Get, "/tokens/api/session");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var session = json.RootElement.Clone();
        if (session.GetProperty("antiforgery") is { ValueKind: JsonValueKind.Object } antiforgery)
        {
            Antiforgery = (antiforgery.GetProperty("header_name").GetString()!, antiforgery.GetProperty("request_token").GetString()!);
        }

        return session;
    }

    /// <summary>Calls the page's endpoints; <paramref name="antiforgery"/> adds the page's header when it is known.</summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, object? body = null, bool antiforgery = false, AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (antiforgery && Antiforgery is { } header)
        {
            request.Headers.Add(header.Header, header.Token);
        }

        request.Headers.Authorization = authorization;
        return await _client.SendAsync(request);
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)">""")]
    private static partial Regex HiddenField();
}
