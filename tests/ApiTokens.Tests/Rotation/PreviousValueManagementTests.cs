using System.Net;
using System.Text.Json;
using ApiTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace ApiTokens.Tests.Rotation;

/// <summary>
/// During its grace period a rotated token's old value keeps working for the host's calls, but the token calls that change tokens
/// refuse it (WHM envelope result 0, nothing changed), so a value being retired — perhaps because it leaked — cannot mint a new
/// credential or extend itself. Reading (<c>api_token_list</c>) still works; the new value can do everything.
/// </summary>
public sealed class PreviousValueManagementTests : IAsyncLifetime
{
    private WhmTestServer _server = null!;
    private ApiTokenAccount _root = null!;
    private string _old = null!;
    private string _new = null!;

    public async Task InitializeAsync()
    {
        _server = await WhmTestServer.StartAsync(o => o.Policy.MaxCreatesPerAccountPerMinute = 0, map: app => app.MapWhmTokenApi());
        _root = _server.Accounts.Add("root", "all");
        _old = (await _server.CreateTokenAsync(_root, "deploy")).PlaintextToken;
        var rotated = await _server.Manager.RotateAsync(_root.Id, "deploy", TimeSpan.FromHours(1));
        Assert.True(rotated.Succeeded, rotated.Error?.Message);
        _new = rotated.Value.PlaintextToken;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> CallAsync(string token, string function, params (string Key, string Value)[] form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/json-api/" + function)
        {
            Content = new FormUrlEncodedContent(form.Append((Key: "api.version", Value: "1")).Select(f => new KeyValuePair<string, string>(f.Key, f.Value))),
        };
        request.Headers.TryAddWithoutValidation("Authorization", $"whm root:{token}");
        using var response = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Theory]
    [InlineData("api_token_create", "token_name", "minted")]
    [InlineData("api_token_rotate", "token_name", "deploy")]
    [InlineData("api_token_revoke", "token_name-0", "deploy")]
    public async Task TheOldValue_CannotChangeTokens_AndNothingChanges(string function, string key, string value)
    {
        var answer = await CallAsync(_old, function, (key, value));

        Assert.Equal(0, answer.GetProperty("metadata").GetProperty("result").GetInt32());
        Assert.Equal(Messages.PreviousValueCannotManage, answer.GetProperty("metadata").GetProperty("reason").GetString());
        var tokens = await _server.Manager.ListAsync(_root.Id);
        Assert.Equal(["deploy"], tokens.Items.Select(t => t.Name));
        var stored = tokens.Items[0];
        Assert.Equal(WhmTestServer.Start + TimeSpan.FromHours(1), stored.PreviousSecretExpiresAt); // the grace period is as it was
    }

    [Fact]
    public async Task TheOldValue_CannotChangeAToken_ByUpdate()
    {
        var answer = await CallAsync(_old, "api_token_update", ("token_name", "deploy"), ("new_name", "kept"));

        Assert.Equal(0, answer.GetProperty("metadata").GetProperty("result").GetInt32());
        Assert.NotNull(await _server.Manager.FindByNameAsync(_root.Id, "deploy"));
    }

    [Fact]
    public async Task TheOldValue_StillReads_AndTheNewValue_ChangesTokens()
    {
        var listed = await CallAsync(_old, "api_token_list");
        Assert.Equal(1, listed.GetProperty("metadata").GetProperty("result").GetInt32());

        var created = await CallAsync(_new, "api_token_create", ("token_name", "minted"));
        Assert.Equal(1, created.GetProperty("metadata").GetProperty("result").GetInt32());
    }
}
